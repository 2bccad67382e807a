#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    glosslint_fuzz::dump(data);
});
