import Accelerator
import Foundation
import Testing

@Suite struct StudyConfigTests {
    /// A minimal valid config with `edit` applied to its JSON text.
    func decode(_ replacements: [(String, String)] = []) throws -> StudyConfig {
        var json = """
        {"name": "t", "model": "m.onnx",
         "dataset": {"format": "idx", "testImages": "i", "testLabels": "l", "mean": [0.1], "std": [0.3]},
         "device": {"gmaxSiemens": 1e-4},
         "grid": {"levels": [2, "unquantized"], "variation": [0, 0.05], "dynamicRange": [10]}}
        """
        for (old, new) in replacements { json = json.replacingOccurrences(of: old, with: new) }
        return try StudyConfig.decode(Data(json.utf8))
    }

    @Test func validConfigDecodes() throws {
        let config = try decode()
        #expect(config.points.count == 4)
        #expect(config.trials == 20)
        #expect(config.array.tileRows == 128)
    }

    @Test func oneLevelRejected() {
        #expect(throws: ConfigError.self) { try decode([("[2, \"unquantized\"]", "[1]")]) }
        do {
            _ = try decode([("[2, \"unquantized\"]", "[1]")])
        } catch let error as ConfigError {
            #expect(error.key == "grid.levels[0]")
            #expect(error.message.contains("at least 2 levels"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func gminAboveGmaxRejected() {
        do {
            _ = try decode([("\"gmaxSiemens\": 1e-4", "\"gmaxSiemens\": 1e-4, \"gminSiemens\": 2e-4"),
                            (", \"dynamicRange\": [10]", "")])
            Issue.record("Gmin above Gmax was accepted")
        } catch let error as ConfigError {
            #expect(error.key == "device.gminSiemens")
            #expect(error.message.contains("below Gmax"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func unknownKeyRejected() {
        do {
            _ = try decode([("\"name\": \"t\"", "\"name\": \"t\", \"trails\": 3")])
            Issue.record("an unknown key was accepted")
        } catch let error as ConfigError {
            #expect(error.key == "trails")
            #expect(error.message.contains("allowed keys here"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func zeroBitADCRejected() {
        do {
            _ = try decode([("\"name\": \"t\"", "\"name\": \"t\", \"adc\": {\"resolution\": 0}")])
            Issue.record("a 0-bit ADC was accepted")
        } catch let error as ConfigError {
            #expect(error.key == "adc.resolution")
            #expect(error.message.contains("\"ideal\""))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func wrongTypeNamesKey() {
        do {
            _ = try decode([("\"variation\": [0, 0.05]", "\"variation\": [0, \"five\"]")])
            Issue.record("a string variation was accepted")
        } catch let error as ConfigError {
            #expect(error.key == "grid.variation[1]")
            #expect(error.message == "expected a number, found a string; write a number without quotes, for example 0.05")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func stringInPlaceOfListNamesFix() {
        do {
            _ = try decode([("\"variation\": [0, 0.05]", "\"variation\": \"five\"")])
            Issue.record("a string in place of a list was accepted")
        } catch let error as ConfigError {
            #expect(error.key == "grid.variation")
            #expect(error.message.contains("expected a list, found a string; write a list in brackets"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Decodes the config with `replacements` and returns the error it raises.
    func configError(_ replacements: [(String, String)]) -> ConfigError? {
        do {
            _ = try decode(replacements)
        } catch let error as ConfigError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }

    @Test func fractionInIntegerNamesKey() throws {
        let error = try #require(configError([("\"name\": \"t\"", "\"name\": \"t\", \"array\": {\"tileRows\": 1.5}")]))
        #expect(error.key == "array.tileRows")
        #expect(error.message == "expected a whole number, found 1.5; write a whole number without a fraction")
    }

    @Test func fractionInIntegerListNamesIndex() throws {
        let error = try #require(configError([("\"dynamicRange\": [10]", "\"dynamicRange\": [10], \"tileSize\": [32, 64.5]")]))
        #expect(error.key == "grid.tileSize[1]")
    }

    @Test func negativeSeedNamesKey() throws {
        let error = try #require(configError([("\"name\": \"t\"", "\"name\": \"t\", \"seed\": -1")]))
        #expect(error.key == "seed")
        #expect(error.message.hasPrefix("-1 does not fit this key;"), "\(error.message)")
    }

    @Test func hugeTrialCountNamesKey() throws {
        let error = try #require(configError([("\"name\": \"t\"", "\"name\": \"t\", \"trials\": 1e30")]))
        #expect(error.key == "trials")
    }

    @Test func syntaxErrorGivesLineAndColumn() throws {
        let error = try #require(configError([("\"model\": \"m.onnx\",", "\"model\": \"m.onnx\",,")]))
        #expect(error.key == "(file)")
        #expect(error.message.hasPrefix("invalid JSON at line 1, column 33:"), "\(error.message)")
    }

    @Test func notANumberIsASyntaxError() throws {
        let error = try #require(configError([("\"gmaxSiemens\": 1e-4", "\"gmaxSiemens\": NaN")]))
        #expect(error.message.hasPrefix("invalid JSON at line 3, column "), "\(error.message)")
        #expect(error.message.contains("NaN and infinity are not JSON numbers"))
    }

    @Test func repeatedAxisValueRejected() throws {
        let error = try #require(configError([("\"variation\": [0, 0.05]", "\"variation\": [0, 0.05, 0]")]))
        #expect(error.key == "grid.variation[2]")
        #expect(error.message.hasPrefix("0.0 repeats grid.variation[0];"), "\(error.message)")
    }

    @Test func wireAxisWithArraySegmentsRejected() throws {
        let error = try #require(configError([
            ("\"name\": \"t\"", "\"name\": \"t\", \"array\": {\"bitLineSegmentOhms\": 2}"),
            ("\"dynamicRange\": [10]", "\"dynamicRange\": [10], \"wireSegmentOhms\": [0, 1]"),
        ]))
        #expect(error.key == "array.bitLineSegmentOhms")
        #expect(error.message.contains("remove array.wordLineSegmentOhms and array.bitLineSegmentOhms, or the grid axis"))
    }

    @Test func wireAxisWithDriverResistanceAccepted() throws {
        let config = try decode([
            ("\"name\": \"t\"", "\"name\": \"t\", \"array\": {\"driverOhms\": 50}"),
            ("\"dynamicRange\": [10]", "\"dynamicRange\": [10], \"wireSegmentOhms\": [0, 1]"),
        ])
        #expect(config.points.count == 8)
    }
}
