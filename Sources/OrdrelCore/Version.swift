/// ordrel's version, the one value `-v`, `-vv`, `show version`, `show info` and the start-up
/// notice print.
public let ordrelVersion = "0.1.0"
