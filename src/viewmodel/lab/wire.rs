//! The lab's messages between the page and the lab worker, in the compact binary form of
//! `codec`: the page's requests ([`LabRequest`]: sequence number, clock, action) and the
//! simulator's answers ([`LabView`]). Decoding checks every length and tag, so a bad message is
//! a [`WireError`] naming the byte offset, never a panic. It does not post anything.

use super::view::LabView;
use super::LabAction;
use crate::codec::WireError;

/// One page request: apply `action` at `now` (seconds since the epoch); the answer's `ack` is
/// `seq`.
#[derive(Debug, Clone, PartialEq)]
pub struct LabRequest {
    pub seq: u64,
    pub now: i64,
    pub action: LabAction,
}

pub fn encode_request(_r: &LabRequest) -> Vec<u8> {
    todo!("helper 13")
}

pub fn decode_request(_data: &[u8]) -> Result<LabRequest, WireError> {
    todo!("helper 13")
}

pub fn encode_view(_v: &LabView) -> Vec<u8> {
    todo!("helper 13")
}

pub fn decode_view(_data: &[u8]) -> Result<LabView, WireError> {
    todo!("helper 13")
}
