import XCTest

final class UnixStreamModelTestsPlaceholder: XCTestCase {}
