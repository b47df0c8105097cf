// Vault-style transit: a keyring with the in-memory store.
import { Keyring, memoryStore, generateMasterKey } from 'qsign-pqc/transit';
export { Keyring, memoryStore, generateMasterKey };
