#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| okuri::fuzzing::age_header(data));
