//! The binary `.evtx` path on real records: a log synthesised by the test-only writer in
//! `evtx_writer.rs` is read back by the `evtx` crate itself (round trip, CRC32s
//! checked) and by `eventlog::parse_evtx_bytes` (mapping to `EventRecord`s, facts, filtering as
//! documented in `eventlog.rs`, and damaged records, record headers and chunks).

use crate::evtx_writer::{
    crc32, single_chunk_file, EventSpec, EvtxWriter, Record, FILE_HEADER_SIZE,
};
use hnsdoctor_parse::{eventlog, Fact, HostModel, InputSummary, ParseError};

/// 2024-05-02T11:30:00Z.
const T0: u64 = 1_714_649_400;

/// SCM 7031 "The Host Network Service service terminated unexpectedly. It has done this
/// 1 time(s). The following corrective action will be taken in 60000 milliseconds: Restart
/// the service." as Windows stores it: insertion strings only.
fn hns_crash() -> EventSpec<'static> {
    EventSpec {
        provider: "Service Control Manager",
        event_id: 7031,
        level: 2,
        unix_time: T0,
        channel: "System",
        computer: "akswin000000",
        data: vec![
            ("param1", "Host Network Service"),
            ("param2", "1"),
            ("param3", "60000"),
            ("param4", "1"),
            ("param5", "Restart the service"),
        ],
    }
}

/// SCM 7036 for a service of no interest, level Information: filtered out.
fn unrelated_state_change() -> EventSpec<'static> {
    EventSpec {
        provider: "Service Control Manager",
        event_id: 7036,
        level: 4,
        unix_time: T0 + 5,
        channel: "System",
        computer: "akswin000000",
        data: vec![("param1", "Windows Update"), ("param2", "stopped")],
    }
}

/// SCM 7036 for kubelet, level Information: kept because it names a service of interest.
fn kubelet_running() -> EventSpec<'static> {
    EventSpec {
        provider: "Service Control Manager",
        event_id: 7036,
        level: 4,
        unix_time: T0 + 20,
        channel: "System",
        computer: "akswin000000",
        data: vec![("param1", "kubelet"), ("param2", "running")],
    }
}

/// An Information record of the HNS Admin channel: kept because of its channel.
fn hns_admin() -> EventSpec<'static> {
    EventSpec {
        provider: "Microsoft-Windows-Host-Network-Service",
        event_id: 1001,
        level: 4,
        unix_time: T0 + 12,
        channel: "Microsoft-Windows-Host-Network-Service-Admin",
        computer: "akswin000000",
        data: vec![("Network", "vxlan0"), ("Status", "0x0")],
    }
}

fn parse(source: &str, bytes: &[u8]) -> (HostModel, InputSummary, Result<(), ParseError>) {
    let mut m = HostModel::new();
    let mut s = InputSummary::default();
    let r = eventlog::parse_evtx_bytes(source, bytes, &mut m, &mut s);
    (m, s, r)
}

fn ids(m: &HostModel) -> Vec<u32> {
    m.event_records.iter().map(|e| e.event_id).collect()
}

#[test]
fn crc32_check_value() {
    // the standard CRC-32 check value, in one part and in two
    assert_eq!(crc32(&[b"123456789"]), 0xCBF4_3926);
    assert_eq!(crc32(&[b"1234", b"56789"]), 0xCBF4_3926);
}

#[test]
fn round_trip_through_the_evtx_crate() {
    let bytes = single_chunk_file(&[
        Record::event(1, &hns_crash()),
        Record::event(2, &unrelated_state_change()),
    ]);
    assert_eq!(bytes.len(), FILE_HEADER_SIZE + 65536);
    let mut p = evtx::EvtxParser::from_buffer(bytes)
        .expect("header parses")
        // the writer's CRC32s must be right: a chunk failing them would be an error here
        .with_configuration(
            evtx::ParserSettings::default()
                .num_threads(1)
                .validate_checksums(true),
        );
    let h = p.header();
    assert!(h.validate_checksum(), "{h:?}");
    assert_eq!((h.major_version, h.minor_version), (3, 1));
    assert_eq!((h.chunk_count, h.next_record_id), (1, 3));
    let recs: Vec<_> = p
        .records_json_value()
        .map(|r| r.expect("record reads"))
        .collect();
    assert_eq!(recs.len(), 2);
    let first = recs.first().expect("record 1");
    assert_eq!(first.event_record_id, 1);
    assert_eq!(first.timestamp.to_string(), "2024-05-02T11:30:00Z");
    let sys = &first.data["Event"]["System"];
    assert_eq!(
        sys["Provider"]["#attributes"]["Name"],
        "Service Control Manager"
    );
    assert_eq!(sys["EventID"], 7031);
    assert_eq!(sys["Level"], 2);
    assert_eq!(sys["Channel"], "System");
    assert_eq!(sys["EventRecordID"], 1);
    assert_eq!(
        sys["TimeCreated"]["#attributes"]["SystemTime"],
        "2024-05-02T11:30:00.0000000Z"
    );
    assert_eq!(
        first.data["Event"]["EventData"]["param1"],
        "Host Network Service"
    );
    let second = recs.get(1).expect("record 2");
    assert_eq!(second.event_record_id, 2);
    assert_eq!(second.data["Event"]["System"]["EventID"], 7036);
    assert_eq!(second.data["Event"]["EventData"]["param2"], "stopped");
}

#[test]
fn system_log_maps_filters_and_marks() {
    let bytes = single_chunk_file(&[
        Record::event(101, &hns_crash()),
        Record::event(102, &unrelated_state_change()),
        Record::event(103, &hns_admin()),
        Record::event(104, &kubelet_running()),
    ]);
    let (m, s, r) = parse("winevt/System.evtx", &bytes);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(ids(&m), vec![7031, 1001, 7036]);
    let crash = m.event_records.first().expect("7031");
    assert_eq!(crash.channel, "System");
    assert_eq!(crash.provider.as_deref(), Some("Service Control Manager"));
    assert_eq!(crash.level, Some(2));
    assert_eq!(crash.time.as_deref(), Some("2024-05-02T11:30:00.0000000Z"));
    // no rendered <Message> in a binary log: the insertion strings, joined
    assert_eq!(
        crash.message,
        "param1=Host Network Service; param2=1; param3=60000; param4=1; param5=Restart the service"
    );
    assert_eq!(crash.prov.source, "winevt/System.evtx");
    assert_eq!(crash.prov.line, 0);
    assert_eq!(crash.prov.text.as_deref(), Some("record 101"));

    let hns = m.event_records.get(1).expect("HNS record");
    assert_eq!(hns.channel, "Microsoft-Windows-Host-Network-Service-Admin");
    assert_eq!(
        hns.provider.as_deref(),
        Some("Microsoft-Windows-Host-Network-Service")
    );
    assert_eq!(hns.level, Some(4));
    assert_eq!(hns.time.as_deref(), Some("2024-05-02T11:30:12.0000000Z"));
    assert_eq!(hns.message, "Network=vxlan0; Status=0x0");

    let kubelet = m.event_records.get(2).expect("kubelet record");
    assert_eq!(kubelet.level, Some(4));
    assert_eq!(kubelet.message, "param1=kubelet; param2=running");

    assert!(m.has(Fact::SystemEventLog));
    assert!(m.has(Fact::HnsEventLog));
    assert!(s.facts.contains(&Fact::SystemEventLog));
    assert!(s.facts.contains(&Fact::HnsEventLog));
    assert_eq!(s.filtered_lines, 1, "the Windows Update 7036 is filtered");
    assert_eq!(s.objects, 3);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn hns_channel_file_keeps_every_record() {
    let bytes = single_chunk_file(&[
        Record::event(7, &hns_admin()),
        Record::event(
            8,
            &EventSpec {
                event_id: 1002,
                unix_time: T0 + 30,
                ..hns_admin()
            },
        ),
    ]);
    let (m, s, r) = parse(
        "events/Microsoft-Windows-Host-Network-Service-Admin.evtx",
        &bytes,
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(ids(&m), vec![1001, 1002]);
    assert!(m.has(Fact::HnsEventLog));
    assert!(!m.has(Fact::SystemEventLog));
    assert_eq!(s.filtered_lines, 0);
}

/// A record whose BinXML holds an invalid token is lost alone; the others are kept and the
/// loss is counted in a warning.
#[test]
fn damaged_record_loses_only_itself() {
    let mut bad = Record::event(202, &kubelet_running());
    bad.raw_binxml = Some(vec![0x0f, 0x01, 0x01, 0x00, 0xEE, 0x00]);
    let bytes = single_chunk_file(&[
        Record::event(201, &hns_crash()),
        bad,
        Record::event(203, &hns_admin()),
    ]);
    let (m, s, r) = parse("winevt/System.evtx", &bytes);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(ids(&m), vec![7031, 1001]);
    assert_eq!(
        s.warnings,
        vec!["1 records could not be read (damaged chunk or record)".to_string()]
    );
}

/// A record header whose magic is overwritten: the reader resynchronises on the next record.
#[test]
fn damaged_record_header_resyncs() {
    let good = single_chunk_file(&[
        Record::event(301, &hns_crash()),
        Record::event(302, &kubelet_running()),
        Record::event(303, &hns_admin()),
    ]);
    let mut bytes = good.clone();
    // the second record's magic: the first record starts at chunk offset 512
    let first_size_at = FILE_HEADER_SIZE + 512 + 4;
    let first_size = u32::from_le_bytes(
        bytes[first_size_at..first_size_at + 4]
            .try_into()
            .expect("4 bytes"),
    ) as usize;
    let second = FILE_HEADER_SIZE + 512 + first_size;
    assert_eq!(&bytes[second..second + 4], b"\x2a\x2a\x00\x00");
    bytes[second..second + 4].copy_from_slice(b"XXXX");
    let (m, s, r) = parse("winevt/System.evtx", &bytes);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(ids(&m), vec![7031, 1001]);
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    // the intact file reads all three
    let (m, s, _) = parse("winevt/System.evtx", &good);
    assert_eq!(ids(&m), vec![7031, 7036, 1001]);
    assert!(s.warnings.is_empty());
}

/// A second chunk with a destroyed header loses its records only.
#[test]
fn damaged_chunk_loses_only_its_records() {
    let mut w = EvtxWriter::new();
    w.chunk(&[Record::event(1, &hns_crash())]);
    w.chunk(&[
        Record::event(2, &hns_admin()),
        Record::event(3, &kubelet_running()),
    ]);
    let good = w.finish();
    assert_eq!(good.len(), FILE_HEADER_SIZE + 2 * 65536);
    let (m, _, r) = parse("winevt/System.evtx", &good);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(ids(&m), vec![7031, 1001, 7036]);

    let mut bytes = good;
    let second_chunk = FILE_HEADER_SIZE + 65536;
    bytes[second_chunk..second_chunk + 8].copy_from_slice(b"NotAChk!");
    let (m, s, r) = parse("winevt/System.evtx", &bytes);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(ids(&m), vec![7031]);
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(
        s.warnings[0].contains("could not be read"),
        "{:?}",
        s.warnings
    );
}
