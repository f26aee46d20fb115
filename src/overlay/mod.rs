//! The union mount: applying layers by the OCI rules, changesets, merged views and copy-on-write containers. It does not read archives.
