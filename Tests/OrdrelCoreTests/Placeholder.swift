import XCTest

final class OrdrelCoreTestsPlaceholder: XCTestCase {}
