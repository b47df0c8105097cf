// Hybrid KEM + HPKE: X-Wing seal/open.
import { xwing, suite, seal, open } from 'qsign-pqc/hybrid';
export { xwing, suite, seal, open };
