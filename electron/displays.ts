/** The parts of an Electron Display that window placement needs. */
export interface DisplayBounds {
  readonly id: number;
  readonly bounds: {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
  };
}

/**
 * The screen for the customer display: the first one that is not the
 * cashier's (primary) screen, or null on a single-screen counter.
 */
export function customerDisplay<D extends DisplayBounds>(
  all: readonly D[],
  primaryId: number,
): D | null {
  return all.find((d) => d.id !== primaryId) ?? null;
}
