export function quantile(xs: readonly number[], q: number): number;
export function median(xs: readonly number[]): number;
export function summarize(xs: readonly number[]): { median: number; min: number; max: number };
