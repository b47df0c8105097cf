// Runs the runtime-agnostic conformance suite under vitest (Node 20), one
// vitest test per harness test, so failures are reported individually.
import { it as vitestIt } from 'vitest';
import { registeredTests } from '../helpers/harness.js';
import './index.js';

for (const t of registeredTests()) vitestIt(t.name, () => t.fn());
