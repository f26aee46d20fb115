//! Reading a seekable archive's layer blobs out of order, so that a caller with several threads
//! (the CLI) or several Web Workers (the page) can scan them at the same time, and then
//! assembling the archive exactly as [`super::read_archive`] would. Three steps:
//!
//! 1. [`plan`] reads the member index, manifests and configs, and lists the layer blobs the
//!    reader will ask for ([`LayerJob`]: member, offset, size, declared compression);
//! 2. [`scan_job`] scans one blob on any reader of the same bytes, with the caps of a whole read;
//! 3. [`read_planned`] resolves the archive again, taking each blob's scan from those done and
//!    scanning on the spot any blob that has none, or whose figures would pass the caps that
//!    the blobs before it left (so cap errors come out exactly as in a sequential read).
//!
//! It starts no thread and knows no worker: the caller decides where step 2 runs. A whole-archive
//! gzip has no plan (it is read in one pass).

use super::error::ArchiveError;
use super::layer::{scan_seekable, Budget, LayerScan};
use super::members::{index_members, Member, MemberIndex};
use super::source::Seeking;
use super::store::{SeekStore, Store};
use super::{decode, resolve, source, Archive, LayerProgress, ReadOptions};
use crate::image::Compression;
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};

/// One layer blob the reader will ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerJob {
    /// The name the manifest gives (what the resolver asks for).
    pub requested: String,
    /// The member holding the bytes (links followed).
    pub member: Member,
    /// The compression the descriptor declares, if any.
    pub declared: Option<Compression>,
}

/// What [`plan`] found: the member index (reused by [`read_planned`]) and the blobs to scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub index: MemberIndex,
    /// The fault that stopped indexing members, if any.
    pub index_error: Option<ArchiveError>,
    /// Distinct blobs, in the order the resolver asks for them.
    pub jobs: Vec<LayerJob>,
}

impl Plan {
    /// Bytes of all blobs to scan.
    pub fn bytes(&self) -> u64 {
        self.jobs.iter().map(|j| j.member.size).sum()
    }
}

/// One blob's scan, with what it took of the caps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobScan {
    pub requested: String,
    pub scan: LayerScan,
    pub used_bytes: u64,
    pub used_entries: u64,
}

/// What a [`Planned`] store does with layer requests.
enum Layers {
    /// Step 1: answer with empty scans and write the requests down.
    Record(Vec<LayerJob>),
    /// Step 3: answer with the scans done elsewhere, by requested name.
    Prefetched(HashMap<String, JobScan>),
}

/// A seekable store whose JSON members are read as usual and whose layer requests are
/// recorded or served from scans done elsewhere.
struct Planned<R> {
    inner: SeekStore<R>,
    layers: Layers,
}

impl<R: Read + Seek> Store for Planned<R> {
    fn index(&self) -> &MemberIndex {
        &self.inner.index
    }
    fn small(&mut self, name: &str) -> Result<(Vec<u8>, Member), ArchiveError> {
        self.inner.small(name)
    }
    fn layer(
        &mut self,
        name: &str,
        declared: Option<Compression>,
        budget: &mut Budget,
    ) -> Result<(LayerScan, Member), ArchiveError> {
        match &mut self.layers {
            Layers::Record(jobs) => {
                let member = self.inner.index.resolve(name)?.clone();
                if !jobs.iter().any(|j| j.requested == name) {
                    jobs.push(LayerJob {
                        requested: name.to_string(),
                        member: member.clone(),
                        declared,
                    });
                }
                let detected = declared.unwrap_or(Compression::None);
                Ok((LayerScan::empty(member.size, detected, None), member))
            }
            Layers::Prefetched(done) => {
                if let Some(j) = done.remove(name) {
                    let fits = j.scan.error.is_none()
                        && budget.used_bytes.saturating_add(j.used_bytes) <= budget.max_bytes
                        && budget.used_entries.saturating_add(j.used_entries) <= budget.max_entries;
                    if fits {
                        let member = self.inner.index.resolve(name)?.clone();
                        budget.used_bytes += j.used_bytes;
                        budget.used_entries += j.used_entries;
                        return Ok((j.scan, member));
                    }
                }
                // No scan, a fault, or caps reached: scan here, where the caps left are known.
                self.inner.layer(name, declared, budget)
            }
        }
    }
}

/// Whether `r` starts with gzip's magic bytes (then the archive has no plan).
fn is_gzip<R: Read + Seek>(r: &mut R) -> std::io::Result<bool> {
    let mut head = [0u8; 2];
    r.seek(SeekFrom::Start(0))?;
    let n = source::read_full(r, &mut head)?;
    r.seek(SeekFrom::Start(0))?;
    Ok(decode::from_magic(&head[..n]) == Compression::Gzip)
}

/// Step 1: the blobs a read with `opts` will scan. `None` for a whole-archive gzip, or when the
/// source cannot be read at all (the sequential read then reports why).
pub fn plan<R: Read + Seek>(mut r: R, opts: &ReadOptions) -> Option<Plan> {
    if is_gzip(&mut r).ok()? {
        return None;
    }
    let src = Seeking::new(r).ok()?;
    let (index, index_error, src) = index_members(src);
    let mut store = Planned {
        inner: SeekStore {
            src,
            index,
            opts: opts.scan(),
        },
        layers: Layers::Record(Vec::new()),
    };
    let mut scratch = Archive::default();
    resolve::resolve(&mut store, opts, &mut scratch);
    let Layers::Record(jobs) = store.layers else {
        return None;
    };
    Some(Plan {
        index: store.inner.index,
        index_error,
        jobs,
    })
}

/// Step 2: scan one blob from any reader of the archive's bytes, with the caps of `opts`.
pub fn scan_job<R: Read + Seek>(mut r: R, job: &LayerJob, opts: &ReadOptions) -> JobScan {
    let mut budget = Budget::new(opts.max_bytes, opts.max_entries);
    let scan = scan_seekable(
        &mut r,
        job.member.offset,
        job.member.size,
        &job.member.name,
        job.declared,
        opts.scan(),
        &mut budget,
    );
    JobScan {
        requested: job.requested.clone(),
        scan,
        used_bytes: budget.used_bytes,
        used_entries: budget.used_entries,
    }
}

/// Step 3: the archive, as [`super::read_archive`] reads it, from a plan and the scans done.
/// `observe` is told the number of blobs once known and after each one is taken in.
pub fn read_planned<R: Read + Seek>(
    r: R,
    opts: &ReadOptions,
    plan: Plan,
    scans: Vec<JobScan>,
    observe: &mut dyn FnMut(LayerProgress),
) -> Archive {
    let mut archive = Archive::default();
    let src = match Seeking::new(r) {
        Ok(s) => s,
        Err(e) => {
            archive.error = Some(ArchiveError::io(&e, "", 0, "archive data"));
            return archive;
        }
    };
    if let Some(e) = plan.index_error {
        archive.error = Some(e);
    }
    let store = Planned {
        inner: SeekStore {
            src,
            index: plan.index,
            opts: opts.scan(),
        },
        layers: Layers::Prefetched(
            scans
                .into_iter()
                .map(|j| (j.requested.clone(), j))
                .collect(),
        ),
    };
    let mut store = super::Observed {
        inner: store,
        progress: LayerProgress::default(),
        observe,
    };
    resolve::resolve(&mut store, opts, &mut archive);
    archive.members = store.inner.inner.index;
    archive
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::read_archive;
    use std::io::Cursor;

    /// A ustar member.
    fn member(name: &str, data: &[u8]) -> Vec<u8> {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..108].copy_from_slice(b"0000644\0");
        h[108..116].copy_from_slice(b"0000000\0");
        h[116..124].copy_from_slice(b"0000000\0");
        h[124..136].copy_from_slice(format!("{:011o}\0", data.len()).as_bytes());
        h[136..148].copy_from_slice(b"00000000000\0");
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|&b| b as u32).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        let mut out = h.to_vec();
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
        out
    }

    fn tar(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut out: Vec<u8> = members.iter().flat_map(|(n, d)| member(n, d)).collect();
        out.extend_from_slice(&[0u8; 1024]);
        out
    }

    /// A legacy docker save of three layers, one of them holding `n` files.
    fn save(n: usize) -> Vec<u8> {
        let layer = |files: &[&str]| {
            tar(&files
                .iter()
                .map(|f| (*f, f.as_bytes().to_vec()))
                .collect::<Vec<_>>())
        };
        let many: Vec<String> = (0..n).map(|i| format!("d/f{i}")).collect();
        let many: Vec<&str> = many.iter().map(|s| s.as_str()).collect();
        let layers = [layer(&["a", "b"]), layer(&many), layer(&["d/.wh.f0"])];
        let ids: Vec<String> = layers.iter().map(|l| sha256_hex(l)).collect();
        let config = format!(
            r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":[{}]}},"history":[{{"created_by":"a"}},{{"created_by":"b"}},{{"created_by":"c"}}]}}"#,
            ids.iter()
                .map(|i| format!("\"sha256:{i}\""))
                .collect::<Vec<_>>()
                .join(",")
        );
        let config_name = format!("{}.json", sha256_hex(config.as_bytes()));
        let manifest = format!(
            r#"[{{"Config":"{config_name}","RepoTags":["t:1"],"Layers":[{}]}}]"#,
            ids.iter()
                .map(|i| format!("\"{i}/layer.tar\""))
                .collect::<Vec<_>>()
                .join(",")
        );
        let mut members: Vec<(String, Vec<u8>)> = ids
            .iter()
            .zip(&layers)
            .map(|(i, l)| (format!("{i}/layer.tar"), l.clone()))
            .collect();
        members.push((config_name, config.into_bytes()));
        members.push(("manifest.json".into(), manifest.into_bytes()));
        let refs: Vec<(&str, Vec<u8>)> = members
            .iter()
            .map(|(n, d)| (n.as_str(), d.clone()))
            .collect();
        tar(&refs)
    }

    fn sha256_hex(b: &[u8]) -> String {
        crate::archive::sha256_digest(b)
            .trim_start_matches("sha256:")
            .to_string()
    }

    fn parallel(bytes: &[u8], opts: &ReadOptions, order: &[usize]) -> Archive {
        let p = plan(Cursor::new(bytes), opts).expect("a plan");
        let scans: Vec<JobScan> = order
            .iter()
            .filter_map(|&i| p.jobs.get(i))
            .map(|j| scan_job(Cursor::new(bytes), j, opts))
            .collect();
        read_planned(Cursor::new(bytes), opts, p, scans, &mut |_| {})
    }

    #[test]
    fn the_plan_lists_each_blob_once_in_manifest_order() {
        let bytes = save(5);
        let p = plan(Cursor::new(&bytes), &ReadOptions::default()).unwrap();
        assert_eq!(p.jobs.len(), 3);
        assert!(p.jobs.iter().all(|j| j.requested.ends_with("/layer.tar")));
        assert_eq!(
            p.jobs.iter().map(|j| j.member.size).collect::<Vec<_>>(),
            [3072, 6144, 2048]
        );
    }

    #[test]
    fn scans_in_any_order_or_missing_give_the_sequential_archive() {
        let bytes = save(5);
        let opts = ReadOptions::default();
        let want = read_archive(Cursor::new(&bytes), &opts);
        assert!(want.error.is_none(), "{:?}", want.error);
        assert_eq!(want.images[0].layers[1].entries.len(), 5);
        for order in [&[0, 1, 2][..], &[2, 0, 1], &[1], &[]] {
            assert_eq!(parallel(&bytes, &opts, order), want, "order {order:?}");
        }
    }

    #[test]
    fn caps_are_reached_at_the_same_entry_as_in_a_sequential_read() {
        let bytes = save(50);
        for max_entries in [1, 2, 3, 10, 52, 53] {
            let opts = ReadOptions {
                max_entries,
                ..ReadOptions::default()
            };
            let want = read_archive(Cursor::new(&bytes), &opts);
            assert_eq!(
                parallel(&bytes, &opts, &[2, 1, 0]),
                want,
                "max_entries {max_entries}"
            );
        }
        let opts = ReadOptions {
            max_bytes: 9000,
            ..ReadOptions::default()
        };
        let want = read_archive(Cursor::new(&bytes), &opts);
        assert!(want.error.is_some());
        assert_eq!(parallel(&bytes, &opts, &[0, 1, 2]), want);
    }

    #[test]
    fn verify_finds_the_same_mismatches() {
        let mut bytes = save(5);
        // Change the body of d/f3 (the second 512-aligned "d/f3": the first is its header).
        let at = (0..bytes.len())
            .step_by(512)
            .filter(|&i| bytes[i..].starts_with(b"d/f3"))
            .nth(1)
            .unwrap();
        bytes[at] = b'e';
        let opts = ReadOptions {
            verify: true,
            ..ReadOptions::default()
        };
        let want = read_archive(Cursor::new(&bytes), &opts);
        // The blob's digest (from its name) and its diff_id: both are wrong now.
        assert_eq!(want.verify_failures.len(), 2, "{:?}", want.verify_failures);
        for order in [&[0, 1, 2][..], &[2, 1, 0], &[1]] {
            assert_eq!(parallel(&bytes, &opts, order), want, "order {order:?}");
        }
    }

    #[test]
    fn a_cut_archive_gives_the_same_partial_result() {
        let bytes = save(20);
        let opts = ReadOptions::default();
        for cut in (512..bytes.len()).step_by(997) {
            let b = &bytes[..cut];
            let want = read_archive(Cursor::new(b), &opts);
            let got = match plan(Cursor::new(b), &opts) {
                Some(p) => {
                    let scans = p
                        .jobs
                        .iter()
                        .map(|j| scan_job(Cursor::new(b), j, &opts))
                        .collect();
                    read_planned(Cursor::new(b), &opts, p, scans, &mut |_| {})
                }
                None => read_archive(Cursor::new(b), &opts),
            };
            assert_eq!(got, want, "cut at {cut}");
        }
    }
}
