//! Dockerfile parsing and variable expansion, faithful to BuildKit: the parser, the instruction layer and expansion, kept apart. It does not build anything.
