import type { ChildProcess } from 'node:child_process';

export const WORKERD: string;
export const WORKERD_COMPAT_DATE: string;
export const WASM_MODULES: WorkerdModule[];
export type WorkerdModule = { name: string; esModule?: string; wasm?: string; data?: string };
export type WorkerdWorker = {
  name: string;
  modules: WorkerdModule[];
  compatibilityDate?: string;
  compatibilityFlags?: string[];
  bindings?: string[];
  extra?: string[];
};
export function workerdConfig(o: { dir: string; port: number; workers: WorkerdWorker[]; services?: string[] }): string;
export function startWorkerd(o: {
  dir: string;
  config: string;
  probeUrl: string;
  file?: string;
  timeoutMs?: number;
  args?: string[];
}): Promise<{ child: ChildProcess; stop: () => Promise<void>; log: () => string }>;
