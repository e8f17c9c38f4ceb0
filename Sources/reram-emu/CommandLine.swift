import Foundation

/// A command-line mistake: the message says what is wrong and how to write it.
struct UsageError: Error, CustomStringConvertible {
    let description: String
}

/// The options and positional arguments of one subcommand, parsed by hand because the
/// package can depend on nothing outside the toolchain.
struct ParsedArguments {
    private(set) var positionals: [String] = []
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    /// - Parameters:
    ///   - valueOptions: options that take a value, such as `--threads`.
    ///   - flagOptions: options without a value, such as `--quiet`.
    init(_ arguments: [String], valueOptions: Set<String>, flagOptions: Set<String>) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                positionals.append(argument)
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            if flagOptions.contains(name) {
                flags.insert(name)
            } else if valueOptions.contains(name) {
                guard let value = inlineValue ?? (index < arguments.count ? arguments[index] : nil) else {
                    throw UsageError(description: "option \(name) needs a value")
                }
                if inlineValue == nil { index += 1 }
                values[name] = value
            } else {
                let known = (valueOptions.union(flagOptions)).sorted().joined(separator: ", ")
                throw UsageError(description: "unknown option '\(name)'; options here: \(known)")
            }
        }
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func value(_ option: String) -> String? { values[option] }

    /// The option as an integer within `range`, or nil when absent.
    func integer(_ option: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = values[option] else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError(description: "the value '\(text)' is invalid for \(option); give an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}

/// Runs the subcommand named by the first argument with the remaining arguments, prints
/// `usage` for no argument or a help flag, and rejects an unknown name with the valid ones.
func dispatchSubcommand(_ arguments: [String], command: String, usage: String,
                        handlers: KeyValuePairs<String, ([String]) throws -> Void>) throws {
    guard let name = arguments.first, !["--help", "-h", "help"].contains(name) else {
        print(usage)
        return
    }
    guard let handler = handlers.first(where: { $0.key == name })?.value else {
        let names = handlers.map(\.key).joined(separator: " or ")
        throw UsageError(description: "unknown \(command) subcommand '\(name)'; use \(names)\n\n\(usage)")
    }
    try handler(Array(arguments.dropFirst()))
}
