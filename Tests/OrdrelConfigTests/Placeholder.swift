import XCTest

final class OrdrelConfigTestsPlaceholder: XCTestCase {}
