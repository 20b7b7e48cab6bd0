/**
 * The unit every stage passes along: one item of a dataset, in the dataset's documented order.
 * `index` is the item's position in that order (row i of every features file and split file).
 */
export interface Item {
  /** 0-based position in the dataset's order. */
  index: number;
  /** Absolute path of the audio file. */
  path: string;
  /** Class label as a string (class ids are assigned later, sorted). */
  label: string;
  /** Segment start in seconds within the file; undefined = from the beginning. */
  start?: number;
  /** Segment end in seconds within the file; undefined = to the end. */
  end?: number;
  /** Grouping key (recording, individual, site) for grouped splits; undefined when unknown. */
  group?: string;
}

/** A loaded dataset: its spec string, a short name, and its items in order. */
export interface Dataset {
  /** The spec it was loaded from, e.g. `csv:/data/x/labels.csv` or `synthetic:600`. */
  spec: string;
  /** Short name for tables and file names, e.g. `watkins`, `labels`, `synthetic`. */
  name: string;
  /** Folder paths in the dataset are resolved against (and must stay inside). */
  root: string;
  items: Item[];
  /** What the loader left out or assumed, in words (e.g. rows dropped by the paper's rules); optional. */
  notes?: string[];
}
