// Every runtime-agnostic suite, registered in order. Each runtime runner
// imports this file, then calls runAll() from ../harness.js.
import './core.test.js';
import './hash.test.js';
import './mlkem.test.js';
import './mldsa.test.js';
import './slhdsa.test.js';
import './jose.test.js';
import './hybrid.test.js';
import './engine.test.js';
import './x509.test.js';
import './cms.test.js';
import './transit.test.js';
import './residue.test.js';
