/** The fusion stage: average the class posteriors of several models' best layers (fuse.ts). */
export * from './fuse.js';
