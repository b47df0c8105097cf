// Every runtime-agnostic suite, registered in order. Each runtime runner
// imports this file, then calls runAll() from ../harness.js.
import './core.test.js';
import './hash.test.js';
