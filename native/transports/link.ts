/**
 * A byte link to a device: a serial port, a USB printer class file or a TCP
 * socket. Opening one takes the handlers, so no byte or close is missed
 * between opening and listening.
 */
export interface Link {
  /** Resolves once the bytes are handed to the operating system (drained); rejects on failure. */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Whether the device can answer (status bytes); false for write-only files. */
  readonly readable: boolean;
}

export interface LinkHandlers {
  onData(bytes: Uint8Array): void;
  /** The link went away by itself (cable pulled, socket reset); not called after close(). */
  onLost(reason: string): void;
}
