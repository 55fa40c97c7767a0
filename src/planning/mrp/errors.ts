/** The input cannot be planned (unknown item, bad date, negative quantity, …). */
export class MrpInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MrpInputError';
  }
}

/** The BOMs contain a cycle; `cycle` lists the item codes, the first repeated at the end. */
export class MrpBomCycleError extends MrpInputError {
  readonly cycle: string[];

  constructor(cycle: string[]) {
    super(`BOM cycle: ${cycle.join(' → ')}`);
    this.name = 'MrpBomCycleError';
    this.cycle = cycle;
  }
}
