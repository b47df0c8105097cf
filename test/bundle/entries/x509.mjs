// Certificate parsing and chain verification.
import { Certificate, verifyChain } from 'qsign-pqc/x509';
export { Certificate, verifyChain };
