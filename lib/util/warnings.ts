/** Non-fatal problems met while reading inputs (each once): the report shows them in its notes, the CLI prints them. */
export class Warnings {
  readonly list: string[] = [];
  add(message: string): void {
    if (!this.list.includes(message)) this.list.push(message);
  }
}
