/** Byte sizes for limits and the messages that name them ("body larger than 16 MB"). */

export const KB = 1024;
export const MB = 1024 * 1024;

/** 16777216 -> "16 MB", 2621440 -> "2.5 MB", 65536 -> "64 KB", 900 -> "900 bytes". */
export function formatBytes(n: number): string {
  if (n >= MB) return `${trim(n / MB)} MB`;
  if (n >= KB) return `${trim(n / KB)} KB`;
  return `${n} bytes`;
}

function trim(x: number): string {
  return String(Math.round(x * 10) / 10);
}
