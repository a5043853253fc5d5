// The types of wait.mjs.
export function waitUntil(check: () => boolean | Promise<boolean>, what: string, deadlineMs: number, pollMs: number): Promise<void>;
