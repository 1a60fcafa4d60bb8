#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| okuri::fuzzing::slip_words(data));
