/** The list of commands: each line imports one command file, which registers itself via addCommands. */
export {};
import './split.js';
import './datasets.js';
import './report.js';
import './extract.js';
import './doctor.js';
import './run.js';
import './models.js';
import './probe.js';
import './fuse.js';
