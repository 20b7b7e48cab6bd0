/**
 * The unit every stage passes along: one item of a dataset, in the dataset's documented order.
 * `index` is the item's position in that order (row i of every features file and split file).
 */
export interface Item {
  /** 0-based position in the dataset's order. */
  index: number;
  /** Absolute path of the audio file. */
  path: string;
  /** Class label as a string; its class index is its position in the dataset's class map (classes.ts). */
  label: string;
  /** Segment start in seconds within the file; undefined = from the beginning. */
  start?: number;
  /** Segment end in seconds within the file; undefined = to the end. */
  end?: number;
  /** Grouping key (recording, individual, site) for grouped splits; undefined when unknown. */
  group?: string;
}

/** A source row a loader left out because it cannot be used (bad value, missing field...), with the reason. */
export interface SkippedRow {
  /** The file the row is in (a labels CSV, or the audio file itself for folder layouts). */
  file: string;
  /** 1-based line in `file`; 0 when the row is a file, not a CSV line. */
  line: number;
  reason: string;
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
  /** Rows left out as unusable, each with its reason (never silently lost); optional. */
  skipped?: SkippedRow[];
  /**
   * The class index map (ordered names; classes.ts). Set by loadDataset: the paper's map for its
   * datasets, else the labels in compareLabels order, or the `classes` option.
   */
  classes?: string[];
  /**
   * False when the paper's code ran every clip of this dataset through the model in one piece (IMV,
   * Abzaliev): extraction then does not chunk long clips by default. Undefined = chunk (docs/EXTRACTION.md).
   */
  chunkLongClips?: boolean;
}
