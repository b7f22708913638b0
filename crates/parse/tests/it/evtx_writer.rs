//! Test-only EVTX writer: builds a small but valid Windows event log (`.evtx`) in memory, so
//! that the binary path of `eventlog::parse_evtx_bytes` is tested on real records rather than
//! only on garbage.
//!
//! Layout written (MS-EVEN6 / libevtx "Windows XML Event Log format"):
//!
//! * a 4096-byte file header: `ElfFile\0`, first/last chunk number, next record id, header
//!   size 128, minor 1, major 3, header block size 4096, chunk count, flags 0 and the CRC32 of
//!   its first 120 bytes at offset 124;
//! * one 64 KiB chunk per [`EvtxWriter::chunk`] call: `ElfChnk\0`, first/last record numbers
//!   and ids, header size 128, last record offset, free space offset, CRC32 of the records
//!   (512..free space) at 52, flags 0 at 120, header CRC32 (bytes 0..120 and 128..512) at 124,
//!   the 64-bucket string table (each name linked from bucket `hash % 64`) and an empty
//!   32-bucket template table;
//! * records: magic `2a 2a 00 00`, size, record id, FILETIME, BinXML, copy of the size.
//!
//! The BinXML is plain (no templates): fragment header, then elements written with
//! OpenStartElement (`0x01`, `0x41` with attributes), names stored inline in the chunk on first
//! use (later uses refer to the first by its chunk offset, as Windows does), Attribute
//! (`0x06`/`0x46`), Value (`0x05`) with a UTF-16 string or a fixed-size typed value,
//! CloseStartElement / CloseEmptyElement / EndElement and end of stream.
//!
//! Written from the format description; no bytes are taken from any sample log.

#![allow(dead_code)] // the tests use only part of it

use std::collections::HashMap;

/// File header block size.
pub const FILE_HEADER_SIZE: usize = 4096;
/// Chunk size.
pub const CHUNK_SIZE: usize = 65536;
/// Chunk header size (fixed part plus string and template tables).
pub const CHUNK_HEADER_SIZE: usize = 512;

/// Seconds between 1601-01-01 and 1970-01-01.
const FILETIME_UNIX_EPOCH_SECS: u64 = 11_644_473_600;

/// FILETIME (100 ns ticks since 1601) of a Unix time in seconds.
#[must_use]
pub fn filetime_from_unix(secs: u64) -> u64 {
    (secs + FILETIME_UNIX_EPOCH_SECS) * 10_000_000
}

/// Table-driven CRC32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as EVTX uses.
#[must_use]
pub fn crc32(parts: &[&[u8]]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    };
    let mut crc = !0u32;
    for part in parts {
        for &b in *part {
            crc = TABLE[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8);
        }
    }
    !crc
}

/// A BinXML value.
#[derive(Debug, Clone)]
pub enum Value {
    /// UTF-16 string (type 0x01).
    Str(String),
    /// UInt8 (0x04).
    U8(u8),
    /// UInt16 (0x06).
    U16(u16),
    /// UInt32 (0x08).
    U32(u32),
    /// UInt64 (0x0a).
    U64(u64),
    /// FILETIME (0x11).
    FileTime(u64),
    /// HexInt64 (0x15).
    Hex64(u64),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_string())
    }
}

/// An XML node.
#[derive(Debug, Clone)]
pub enum Node {
    /// An element.
    Element(Element),
    /// Character data.
    Text(Value),
}

/// An element with attributes and children.
#[derive(Debug, Clone)]
pub struct Element {
    /// Name.
    pub name: String,
    /// Attributes, in order.
    pub attrs: Vec<(String, Value)>,
    /// Children.
    pub children: Vec<Node>,
}

/// Element builder: `el("Data").attr("Name", "param1").text("HNS")`.
#[must_use]
pub fn el(name: &str) -> Element {
    Element {
        name: name.to_string(),
        attrs: Vec::new(),
        children: Vec::new(),
    }
}

impl Element {
    /// Add an attribute.
    #[must_use]
    pub fn attr(mut self, name: &str, v: impl Into<Value>) -> Self {
        self.attrs.push((name.to_string(), v.into()));
        self
    }
    /// Add a child element.
    #[must_use]
    pub fn child(mut self, e: Element) -> Self {
        self.children.push(Node::Element(e));
        self
    }
    /// Add a text (or typed value) child.
    #[must_use]
    pub fn value(mut self, v: impl Into<Value>) -> Self {
        self.children.push(Node::Text(v.into()));
        self
    }
}

/// The fields of a standard `<Event>` record.
#[derive(Debug, Clone)]
pub struct EventSpec<'a> {
    /// Provider name.
    pub provider: &'a str,
    /// Event ID.
    pub event_id: u16,
    /// Level (1..5).
    pub level: u8,
    /// Unix time in seconds (TimeCreated and the record header).
    pub unix_time: u64,
    /// Channel.
    pub channel: &'a str,
    /// Computer.
    pub computer: &'a str,
    /// `<EventData>` items: (Name, value).
    pub data: Vec<(&'a str, &'a str)>,
}

/// The `<Event xmlns=…>` tree of `spec` for record `record_id`, with the value types Windows
/// uses (UInt16 EventID, UInt8 Level, FILETIME SystemTime, UInt64 EventRecordID…).
#[must_use]
pub fn event_tree(spec: &EventSpec<'_>, record_id: u64) -> Element {
    let mut data = el("EventData");
    for (name, v) in &spec.data {
        data = data.child(el("Data").attr("Name", *name).value(*v));
    }
    el("Event")
        .attr(
            "xmlns",
            "http://schemas.microsoft.com/win/2004/08/events/event",
        )
        .child(
            el("System")
                .child(el("Provider").attr("Name", spec.provider))
                .child(el("EventID").value(Value::U16(spec.event_id)))
                .child(el("Version").value(Value::U8(0)))
                .child(el("Level").value(Value::U8(spec.level)))
                .child(el("Task").value(Value::U16(0)))
                .child(el("Opcode").value(Value::U8(0)))
                .child(el("Keywords").value(Value::Hex64(0x8080_0000_0000_0000)))
                .child(el("TimeCreated").attr(
                    "SystemTime",
                    Value::FileTime(filetime_from_unix(spec.unix_time)),
                ))
                .child(el("EventRecordID").value(Value::U64(record_id)))
                .child(el("Correlation"))
                .child(
                    el("Execution")
                        .attr("ProcessID", Value::U32(664))
                        .attr("ThreadID", Value::U32(7212)),
                )
                .child(el("Channel").value(spec.channel))
                .child(el("Computer").value(spec.computer))
                .child(el("Security")),
        )
        .child(data)
}

/// One record to write.
#[derive(Debug, Clone)]
pub struct Record {
    /// Event record id.
    pub id: u64,
    /// FILETIME written in the record header.
    pub filetime: u64,
    /// Root element.
    pub event: Element,
    /// Replace the record's BinXML with these bytes (to write a damaged record).
    pub raw_binxml: Option<Vec<u8>>,
}

impl Record {
    /// A standard event record.
    #[must_use]
    pub fn event(id: u64, spec: &EventSpec<'_>) -> Self {
        Record {
            id,
            filetime: filetime_from_unix(spec.unix_time),
            event: event_tree(spec, id),
            raw_binxml: None,
        }
    }
}

/// Name hash used by the chunk string table (MS-EVEN6: `hash = hash * 65599 + c`, low 16 bits).
fn name_hash(name: &str) -> u16 {
    let h = name.encode_utf16().fold(0u32, |h, c| {
        h.wrapping_mul(65599).wrapping_add(u32::from(c))
    });
    (h & 0xffff) as u16
}

fn put_u16(b: &mut Vec<u8>, v: u16) {
    b.extend_from_slice(&v.to_le_bytes());
}
fn put_u32(b: &mut Vec<u8>, v: u32) {
    b.extend_from_slice(&v.to_le_bytes());
}
fn put_u64(b: &mut Vec<u8>, v: u64) {
    b.extend_from_slice(&v.to_le_bytes());
}
fn patch_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}
fn u32_of(n: usize) -> u32 {
    u32::try_from(n).expect("fits in u32")
}

/// A chunk being written: its bytes (from offset 0, header included) and its name table.
struct ChunkBuf {
    data: Vec<u8>,
    /// Chunk offset of each name written.
    names: HashMap<String, u32>,
    /// Head and tail of each string-table bucket.
    buckets: [Option<(u32, u32)>; 64],
}

impl ChunkBuf {
    fn new() -> Self {
        ChunkBuf {
            data: vec![0; CHUNK_HEADER_SIZE],
            names: HashMap::new(),
            buckets: [None; 64],
        }
    }

    /// A name reference: the offset, followed by the name itself on first use.
    fn name_ref(&mut self, name: &str) {
        if let Some(&off) = self.names.get(name) {
            put_u32(&mut self.data, off);
            return;
        }
        let off = u32_of(self.data.len() + 4);
        put_u32(&mut self.data, off);
        let hash = name_hash(name);
        put_u32(&mut self.data, 0); // next string in the bucket
        put_u16(&mut self.data, hash);
        let units: Vec<u16> = name.encode_utf16().collect();
        put_u16(
            &mut self.data,
            u16::try_from(units.len()).expect("short name"),
        );
        for u in units {
            put_u16(&mut self.data, u);
        }
        put_u16(&mut self.data, 0);
        self.names.insert(name.to_string(), off);
        let bucket = usize::from(hash) % 64;
        self.buckets[bucket] = Some(match self.buckets[bucket] {
            None => (off, off),
            Some((head, tail)) => {
                patch_u32(&mut self.data, tail as usize, off);
                (head, off)
            }
        });
    }

    fn value(&mut self, v: &Value) {
        self.data.push(0x05);
        let d = &mut self.data;
        match v {
            Value::Str(s) => {
                d.push(0x01);
                let units: Vec<u16> = s.encode_utf16().collect();
                put_u16(d, u16::try_from(units.len()).expect("short string"));
                for u in units {
                    put_u16(d, u);
                }
            }
            Value::U8(x) => d.extend_from_slice(&[0x04, *x]),
            Value::U16(x) => {
                d.push(0x06);
                put_u16(d, *x);
            }
            Value::U32(x) => {
                d.push(0x08);
                put_u32(d, *x);
            }
            Value::U64(x) => {
                d.push(0x0a);
                put_u64(d, *x);
            }
            Value::FileTime(x) => {
                d.push(0x11);
                put_u64(d, *x);
            }
            Value::Hex64(x) => {
                d.push(0x15);
                put_u64(d, *x);
            }
        }
    }

    fn element(&mut self, e: &Element) {
        let has_attrs = !e.attrs.is_empty();
        self.data.push(if has_attrs { 0x41 } else { 0x01 });
        let size_at = self.data.len();
        put_u32(&mut self.data, 0); // element data size, patched below
        self.name_ref(&e.name);
        if has_attrs {
            let list_at = self.data.len();
            put_u32(&mut self.data, 0); // attribute list size, patched below
            for (i, (name, v)) in e.attrs.iter().enumerate() {
                let more = i + 1 < e.attrs.len();
                self.data.push(if more { 0x46 } else { 0x06 });
                self.name_ref(name);
                self.value(v);
            }
            let list_len = self.data.len() - list_at - 4;
            patch_u32(&mut self.data, list_at, u32_of(list_len));
        }
        if e.children.is_empty() {
            self.data.push(0x03); // CloseEmptyElement
        } else {
            self.data.push(0x02); // CloseStartElement
            for c in &e.children {
                match c {
                    Node::Element(ce) => self.element(ce),
                    Node::Text(v) => self.value(v),
                }
            }
            self.data.push(0x04); // EndElement
        }
        let size = self.data.len() - size_at - 4;
        patch_u32(&mut self.data, size_at, u32_of(size));
    }

    /// Write one record; returns its offset.
    fn record(&mut self, r: &Record) -> usize {
        let start = self.data.len();
        self.data.extend_from_slice(&[0x2a, 0x2a, 0, 0]);
        put_u32(&mut self.data, 0); // size, patched below
        put_u64(&mut self.data, r.id);
        put_u64(&mut self.data, r.filetime);
        match &r.raw_binxml {
            Some(raw) => self.data.extend_from_slice(raw),
            None => {
                self.data.extend_from_slice(&[0x0f, 0x01, 0x01, 0x00]); // fragment header 1.1
                self.element(&r.event);
                self.data.push(0x00); // end of stream
            }
        }
        let size = u32_of(self.data.len() - start + 4);
        put_u32(&mut self.data, size);
        patch_u32(&mut self.data, start + 4, size);
        start
    }
}

/// Builds a file chunk by chunk.
#[derive(Debug, Default)]
pub struct EvtxWriter {
    chunks: Vec<Vec<u8>>,
    next_record_number: u64,
    last_record_id: u64,
}

impl EvtxWriter {
    /// An empty log.
    #[must_use]
    pub fn new() -> Self {
        EvtxWriter {
            chunks: Vec::new(),
            next_record_number: 1,
            last_record_id: 0,
        }
    }

    /// Append a chunk holding `records` (at least one; they must fit in 64 KiB).
    ///
    /// # Panics
    /// When `records` is empty or does not fit.
    pub fn chunk(&mut self, records: &[Record]) -> &mut Self {
        assert!(!records.is_empty(), "a chunk needs records");
        let mut c = ChunkBuf::new();
        let mut last_offset = 0;
        for r in records {
            last_offset = c.record(r);
        }
        let free = c.data.len();
        assert!(free <= CHUNK_SIZE, "records overflow the chunk");
        let mut d = c.data;
        d.resize(CHUNK_SIZE, 0);
        let first_no = self.next_record_number;
        let last_no = first_no + records.len() as u64 - 1;
        let first_id = records.first().map_or(0, |r| r.id);
        let last_id = records.last().map_or(0, |r| r.id);
        d[0..8].copy_from_slice(b"ElfChnk\0");
        d[8..16].copy_from_slice(&first_no.to_le_bytes());
        d[16..24].copy_from_slice(&last_no.to_le_bytes());
        d[24..32].copy_from_slice(&first_id.to_le_bytes());
        d[32..40].copy_from_slice(&last_id.to_le_bytes());
        patch_u32(&mut d, 40, 128); // header size
        patch_u32(&mut d, 44, u32_of(last_offset));
        patch_u32(&mut d, 48, u32_of(free));
        let events_crc = crc32(&[&d[CHUNK_HEADER_SIZE..free]]);
        patch_u32(&mut d, 52, events_crc);
        patch_u32(&mut d, 120, 0); // flags
        for (i, b) in c.buckets.iter().enumerate() {
            patch_u32(&mut d, 128 + i * 4, b.map_or(0, |(head, _)| head));
        }
        // template table (384..512) stays empty: no templates are used
        let header_crc = crc32(&[&d[..120], &d[128..CHUNK_HEADER_SIZE]]);
        patch_u32(&mut d, 124, header_crc);
        self.next_record_number = last_no + 1;
        self.last_record_id = self.last_record_id.max(last_id);
        self.chunks.push(d);
        self
    }

    /// The file: header block and chunks.
    #[must_use]
    pub fn finish(&self) -> Vec<u8> {
        let mut h = vec![0u8; FILE_HEADER_SIZE];
        let count = self.chunks.len() as u64;
        h[0..8].copy_from_slice(b"ElfFile\0");
        h[8..16].copy_from_slice(&0u64.to_le_bytes()); // first chunk number
        h[16..24].copy_from_slice(&count.saturating_sub(1).to_le_bytes()); // last chunk number
        h[24..32].copy_from_slice(&(self.last_record_id + 1).to_le_bytes()); // next record id
        patch_u32(&mut h, 32, 128); // header size
        h[36..38].copy_from_slice(&1u16.to_le_bytes()); // minor version
        h[38..40].copy_from_slice(&3u16.to_le_bytes()); // major version
        h[40..42].copy_from_slice(&4096u16.to_le_bytes()); // header block size
        h[42..44].copy_from_slice(&u16::try_from(count).expect("few chunks").to_le_bytes());
        patch_u32(&mut h, 120, 0); // flags: clean
        let crc = crc32(&[&h[..120]]);
        patch_u32(&mut h, 124, crc);
        let mut out = h;
        for c in &self.chunks {
            out.extend_from_slice(c);
        }
        out
    }
}

/// A file of one chunk holding `records`.
#[must_use]
pub fn single_chunk_file(records: &[Record]) -> Vec<u8> {
    EvtxWriter::new().chunk(records).finish()
}
