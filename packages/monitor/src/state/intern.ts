/**
 * Interns principal keys (`tenant \0 principal`): every event of a principal gets the same string object, so
 * each detector's state map hashes it once and compares it by identity, and all maps share one copy of it.
 * Bounded: past `max` keys the table starts over (a later event builds an equal string — correctness never
 * depends on identity, only speed and memory do).
 */
export class KeyInterner {
  private readonly tenants = new Map<string, Map<string, string>>();
  private count = 0;

  constructor(private readonly max: number) {}

  key(tenant: string, principal: string): string {
    let byPrincipal = this.tenants.get(tenant);
    if (byPrincipal === undefined) {
      byPrincipal = new Map();
      this.tenants.set(tenant, byPrincipal);
    }
    let key = byPrincipal.get(principal);
    if (key === undefined) {
      if (++this.count > this.max) {
        this.tenants.clear();
        this.count = 1;
        byPrincipal = new Map();
        this.tenants.set(tenant, byPrincipal);
      }
      key = `${tenant}\u0000${principal}`;
      byPrincipal.set(principal, key);
    }
    return key;
  }

  get size(): number {
    return this.count;
  }
}
