// The NFC quick check behind nfc() and clean_text(): a code point is "NFC-inert" when no string can
// change around it under NFC (combining class 0, never composes with what precedes it, its own NFC is
// itself). A string of inert code points is already NFC, so utf8proc_map is skipped for it.
//
//   bool skip = detail::nfc_inert(0x00E9);  // true: U+00E9 is precomposed and composes with nothing
//   bool keep = detail::nfc_inert(0x0301);  // false: a combining mark
#pragma once

#include <cstdint>

namespace leadcustomers::detail {

// True for a code point with NFC_Quick_Check = Yes and canonical combining class 0 (per utf8proc's data).
bool nfc_inert(int32_t cp);

}  // namespace leadcustomers::detail
