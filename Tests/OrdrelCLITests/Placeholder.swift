import XCTest

final class OrdrelCLITestsPlaceholder: XCTestCase {}
