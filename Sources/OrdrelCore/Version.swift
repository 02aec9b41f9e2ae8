/// ordrel's own version: the one value every other version string is built from.
public let ordrelVersion = "0.1.0"

/// The date of ordrel's release, in haproxy's `Release_date` format (`YYYY/MM/DD`).
public let ordrelReleaseDate = "2026/11/21"

/// The haproxy release whose configuration and runtime API ordrel reproduces.
public let haproxyAPILevel = "2.6.12"

/// The version `show info`, `show version` and `-v` print: the API level first, so client
/// libraries that parse haproxy's version (and gate features on it) accept ordrel, then
/// ordrel's own version, as a distribution suffix would be (`2.6.12-1+deb12u4`).
public let reportedVersion = "\(haproxyAPILevel)-ordrel-\(ordrelVersion)"
