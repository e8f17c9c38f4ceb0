// Configs that passed validation but could not run, found by reading the config checks
// while writing the StudyConfig fuzz target, whose check now catches them.
import Accelerator
import Foundation
import Testing

@Suite struct ConfigFuzzRegressionTests {
    /// Builds the smallest valid config whose device gives Gmin, with `device` as the
    /// device section.
    func decode(device: String) throws(ConfigError) -> StudyConfig {
        let json = """
        {"name": "t", "model": "m.onnx",
         "dataset": {"format": "idx", "testImages": "i", "testLabels": "l", "mean": [0], "std": [1]},
         "device": \(device), "grid": {"levels": [2], "variation": [0]}}
        """
        return try StudyConfig.decode(Data(json.utf8))
    }

    /// Gmin = 0, or a Gmin whose Gmax / Gmin overflows, passed validation, and then every
    /// grid point failed with an infinite dynamic range when the study built its window.
    @Test(arguments: [("{\"gminSiemens\": 0}", "device.gminSiemens"),
                      ("{\"gmaxSiemens\": 1, \"gminSiemens\": 1e-320}", "device.gminSiemens")])
    func zeroOrTinyGminRejected(device: String, key: String) {
        let error = #expect(throws: ConfigError.self) { try decode(device: device) }
        #expect(error?.key == key)
        #expect(error?.message.contains("must be above 0") == true)
    }

    @Test func smallPositiveGminRuns() throws {
        let config = try decode(device: "{\"gmaxSiemens\": 1e-4, \"gminSiemens\": 1e-7}")
        let settings = try config.settings(for: config.points[0])
        #expect(config.points[0].dynamicRange == 1e-4 / 1e-7)
        #expect(settings.window.minimumSiemens == 1e-7)
    }
}
