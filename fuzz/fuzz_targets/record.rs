#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| okuri::fuzzing::record(data));
