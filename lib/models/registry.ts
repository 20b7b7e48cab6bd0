/**
 * A registry of named things that refuses to overwrite a name silently (arquero's op registry habit):
 * registering an id twice is a programming error, reported with both the id and the registry's name.
 */
import { ModelError } from '../util/errors.js';

export class Registry<T extends { id: string }> {
  private readonly items = new Map<string, T>();

  constructor(readonly name: string) {}

  /** Add an entry; throws when the id is already taken. */
  register(item: T): T {
    if (this.items.has(item.id)) {
      throw new ModelError('duplicate-id', `${this.name} already has an entry "${item.id}"`);
    }
    this.items.set(item.id, item);
    return item;
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  /** The entry for `id`; throws a ModelError listing the known ids when there is none. */
  get(id: string): T {
    const item = this.items.get(id);
    if (!item) {
      throw new ModelError('unknown-id', `unknown ${this.name} id "${id}"`, { hint: `known: ${this.ids().join(', ')}` });
    }
    return item;
  }

  ids(): string[] {
    return [...this.items.keys()];
  }

  list(): T[] {
    return [...this.items.values()];
  }
}
