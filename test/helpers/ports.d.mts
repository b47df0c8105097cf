/** A free TCP port on 127.0.0.1 (the OS picks; we release it and hand the number on). */
export function freePort(): Promise<number>;
