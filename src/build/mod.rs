//! Simulated builds: a parsed Dockerfile plus a build context into images, for BuildKit and the classic builder. It does not parse Dockerfiles (see `dockerfile`).
