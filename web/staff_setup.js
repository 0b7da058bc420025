// Staff console set-up, before anything else: a barcode/QR scanner is a keyboard. It types the
// member's card code (or a coupon's code) and Enter; scanner.js (loaded first) collects the keys
// outside text fields and hands each finished code to the client (md_staff_scan). Typing into a
// field (sign-in, phone, amount) is left alone.
mdScanner("_md_staff_scan", "mdStaffFlush", "mdStaffScanAt");
