// The local-model child process entry (see issue 6).
export {};
