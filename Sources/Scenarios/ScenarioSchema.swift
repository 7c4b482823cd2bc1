// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import ScenarioModel

/// The JSON Schema (draft 2020-12) of scenario files, for editors and external validators
/// (`hybridsim schema` prints it).
///
/// It is built from the same tables the loader reads with — the decoders' key lists, the
/// unit table, the distribution forms, the enumerations of the typed scenario — so that the
/// two cannot drift apart. The schema checks shapes, keys and the spelling of quantities;
/// checks across sections (names that exist, memory, links) are the loader's alone, so a file
/// can match the schema and still be rejected by `hybridsim validate`.
public enum ScenarioSchema {
    /// The schema as pretty-printed JSON with sorted keys (stable from run to run).
    public static func jsonSchema() -> String {
        let data = (try? JSONSerialization.data(withJSONObject: schemaObject(),
                                                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    typealias Object = [String: Any]

    /// The schema as a JSON object tree.
    static func schemaObject() -> Object {
        let d = ScenarioDecoder.self
        var root = object(d.topLevelKeys, [
            "include": ["type": "array", "items": ["type": "string", "minLength": 1],
                        "description": "files whose hardware, models, nodes and links merge into this scenario"],
            "name": ["type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$"],
            "seed": integer(minimum: 0),
            "run": ref("run"),
            "hardware": namedMap(ref("hardware")),
            "models": namedMap(ref("model"), minProperties: 1),
            "nodes": namedMap(ref("node"), minProperties: 1),
            "hosts": namedMap(object(d.hostKeys, ["cores": integer(minimum: 1, maximum: d.maxWorkers)], required: d.hostKeys),
                              minProperties: 1),
            "links": ["type": "array", "items": ref("link")],
            "routes": ["type": "array", "items": ref("route")],
            "deployment": ref("deployment"),
            "workload": ["type": "array", "minItems": 1, "items": ref("workload")],
            "slo": ref("slo"),
            "sweep": ref("sweep"),
            "plan": ref("plan"),
            "check": ref("check"),
            "protocols": ref("protocols"),
        ], required: ["name", "run", "deployment", "workload"])
        root["anyOf"] = [["required": ["models", "nodes"]], ["required": ["include"]]]
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        root["title"] = "hybridsim scenario"
        root["$defs"] = definitions()
        return root
    }

    // MARK: - Definitions

    private static func definitions() -> Object {
        let d = ScenarioDecoder.self
        var defs: Object = [:]
        for kind in QuantityKind.allCases { defs[kind.rawValue] = quantity(kind) }
        defs["timeDistribution"] = distribution(of: .time)
        defs["sweep"] = sweep()
        defs["plan"] = plan()
        defs["sizeDistribution"] = distribution(of: .size)
        defs["run"] = {
            var run = object(d.runKeys, [
                "requests": integer(minimum: 1, maximum: d.maxRequests), "duration": ref("time"),
                "warmupRequests": integer(minimum: 0, maximum: d.maxRequests),
                "warmup": ref("time"), "replications": integer(minimum: 1, maximum: d.maxReplications),
            ])
            run["oneOf"] = [["required": ["requests"]], ["required": ["duration"]]]
            run["not"] = ["required": ["warmupRequests", "warmup"]]
            return run
        }()
        defs["hardware"] = object(d.hardwareKeys, [
            "kind": choice(HardwareKind.allCases.map(\.rawValue)), "memory": ref("size"), "idlePower": ref("power"),
            "busyPower": ref("power"), "price": ref("moneyRate"), "workers": integer(minimum: 1, maximum: d.maxWorkers),
            "powerModes": namedMap(object(d.powerModeKeys, ["cap": ref("power"), "speed": number(exclusiveMinimum: 0, maximum: 1)],
                                          required: d.powerModeKeys)),
            "thermal": object(d.thermalKeys, ["after": ref("time"), "speed": number(exclusiveMinimum: 0, maximum: 1),
                                              "recoverAfter": ref("time")], required: d.thermalKeys),
        ], required: ["kind"])
        defs["model"] = object(d.modelKeys, [
            "serviceTime": ref("timeDistribution"), "serviceTimeOn": namedMap(ref("timeDistribution")),
            "memory": ref("size"), "artifact": ref("size"), "output": ref("size"), "activationMemory": ref("size"),
            "batching": object(d.batchingKeys, ["maxBatch": integer(minimum: 1, maximum: d.maxBatch), "maxDelay": ref("time"),
                                                "alpha": number(minimum: 0)], required: d.batchingKeys),
            "serviceTimeScaling": scaling(by: ServiceTimeScaling.Variable.allCases.map(\.rawValue)),
            "accuracy": ["oneOf": [
                object(d.accuracyKeys, [
                    "top1": number(exclusiveMinimum: 0, maximum: 1), "classes": integer(minimum: 2, maximum: d.maxClasses),
                    "correlation": number(minimum: 0, maximum: 1), "confidenceRight": number(minimum: 0, maximum: 1),
                    "confidenceWrong": number(minimum: 0, maximum: 1),
                ], required: ["top1", "classes"]),
                object(d.accuracyLogKeys, ["log": ["type": "string", "minLength": 1,
                                         "description": "a prediction-log CSV, relative to the scenario file"]],
                       required: d.accuracyLogKeys),
            ]],
        ])
        defs["node"] = object(d.nodeKeys, [
            "kind": choice(NodeKind.allCases.map(\.rawValue)), "hardware": ["type": "string"], "powerMode": ["type": "string"],
            "workers": integer(minimum: 1, maximum: d.maxWorkers), "memory": ref("size"), "price": ref("moneyRate"),
            "instances": integer(minimum: 1, maximum: d.maxInstances), "serviceTime": ref("timeDistribution"),
            "persistence": ref("timeDistribution"), "ackLoss": number(minimum: 0, maximum: 0.99),
            "redeliveryAfter": ref("time"),
            "onMemoryFull": choice(MemoryFullPolicy.allCases.map(\.rawValue)),
            "spot": object(d.spotKeys, ["share": number(minimum: 0, maximum: 1), "price": ref("moneyRate"),
                                        "preemptionRate": ref("rate"), "replaceAfter": ref("timeDistribution")],
                           required: ["share", "price", "preemptionRate"]),
            "coldStart": object(d.coldStartKeys, [
                "resident": ["type": "array", "items": ["type": "string"]], "loadTime": ref("timeDistribution"),
                "loadFrom": ["type": "string"], "diskBandwidth": ref("bandwidth"),
            ]),
            "count": integer(minimum: 1, maximum: d.maxGroupMembers),
            "concurrency": object(d.concurrencyKeys, [
                "model": choice(d.concurrencyModels), "cores": integer(minimum: 1, maximum: d.maxWorkers),
                "maxInFlight": integer(minimum: 1, maximum: d.maxInFlightLimit),
                "capacity": number(exclusiveMinimum: 0, maximum: Double(d.maxWorkers)),
            ], required: ["model"]),
            "wakeUp": object(d.wakeUpKeys, [
                "points": ["type": "array", "minItems": 1, "maxItems": d.maxWakeUpPoints,
                           "items": ["type": "array", "prefixItems": [ref("time"), ref("time")], "minItems": 2, "maxItems": 2]],
            ], required: d.wakeUpKeys),
            "host": ["type": "string", "minLength": 1, "description": "a machine under `hosts:` whose cores this node shares"],
            "slowPeriods": object(d.slowPeriodsKeys, [
                "factor": number(minimum: 1, maximum: d.maxSlowFactor), "slow": ref("time"), "fast": ref("time"),
            ], required: d.slowPeriodsKeys),
            "autoscaling": object(d.autoscalingKeys, [
                "min": integer(minimum: 1, maximum: d.maxInstances), "max": integer(minimum: 1, maximum: d.maxInstances),
                "metric": choice(AutoscalingSpec.Metric.allCases.map(\.rawValue)), "target": number(exclusiveMinimum: 0),
                "interval": ref("time"), "step": integer(minimum: 1, maximum: d.maxInstances), "cooldown": ref("time"),
                "scaleInDelay": ref("time"), "boot": ref("timeDistribution"), "billingMinimum": ref("time"),
                "pullFrom": ["type": "string"], "modelLoad": ref("timeDistribution"),
            ], required: ["max"]),
        ], required: ["kind"])
        defs["link"] = object(d.linkKeys, [
            "between": ["type": "array", "items": ["type": "string"], "minItems": 2, "maxItems": 2],
            "latency": ref("timeDistribution"), "jitter": ref("timeDistribution"), "bandwidth": ref("bandwidth"),
            "loss": number(minimum: 0, maximum: 0.99),
            "sharing": choice(BandwidthSharingMode.allCases.map(\.rawValue)),
            "outages": ["type": "array", "items": object(d.outageKeys, ["at": ref("time"), "for": ref("time")],
                                                         required: d.outageKeys)],
            "failures": object(d.failureKeys, ["upTime": ref("timeDistribution"), "downTime": ref("timeDistribution")],
                               required: d.failureKeys),
        ], required: ["between", "latency"])
        defs["route"] = object(d.routeKeys, ["from": ["type": "string"], "to": ["type": "string"],
                                             "via": ["type": "array", "items": ["type": "string"]]], required: ["from", "to"])
        defs["deployment"] = deployment()
        defs["workload"] = workload()
        defs["arrivals"] = arrivals()
        defs["slo"] = object(d.sloKeys, [
            "latency": ["type": "object", "minProperties": 1, "additionalProperties": ref("time"),
                        "propertyNames": ["pattern": "^(?:" + d.latencyStatisticKeys.joined(separator: "|") + "|p[0-9]{1,2}(?:\\.[0-9]+)?)$"]],
            "accuracy": number(exclusiveMinimum: 0, maximum: 1), "cost": ref("moneyRate"), "edgePower": ref("power"),
        ])
        let protocolOverrides = object(d.protocolKeys, [
            "requestOverhead": ref("size"), "responseOverhead": ref("size"), "payloadInflation": number(minimum: 1),
            "codecThroughput": ["anyOf": [ref("bandwidth"), ["const": "unlimited"]]], "setupRoundTrips": integer(minimum: 0, maximum: 10),
            "callOverhead": ref("timeDistribution"), "serverWork": ref("timeDistribution"),
            "serverWorkStarts": choice(ServerWorkStart.allCases.map(\.rawValue)),
            "callOverheadScaling": scaling(by: CallOverheadScaling.Variable.allCases.map(\.rawValue)),
            "timeout": ref("time"), "retries": integer(minimum: 0, maximum: 100), "backoff": ref("time"),
            "backoffMultiplier": number(minimum: 1),
            "poolSize": integer(minimum: 1, maximum: 100_000), "streamsPerConnection": integer(minimum: 1, maximum: 100_000),
            "idleTimeout": ref("time"),
        ])
        defs["protocolSettings"] = protocolOverrides
        defs["protocols"] = object(CallProtocol.allCases.map(\.rawValue),
                                   Dictionary(uniqueKeysWithValues: CallProtocol.allCases.map { ($0.rawValue, ref("protocolSettings")) }))
        defs["check"] = {
            var tolerance = object(d.toleranceKeys, [
                "relative": ["anyOf": [number(minimum: 0), ["type": "string", "pattern": "^[0-9]+(?:\\.[0-9]+)?\\s*%$"]]],
                "absolute": number(minimum: 0),
            ])
            tolerance["minProperties"] = 1
            return ["type": "object", "minProperties": 1, "additionalProperties": tolerance,
                    "propertyNames": ["pattern": "^[^.]+(?:\\.[^.]+)*$"],
                    "description": "regression tolerances of `hybridsim check`, by dotted summary.json key path"]
        }()
        return defs
    }

    private static func deployment() -> Object {
        let d = ScenarioDecoder.self
        let placement: Object = ["model": ["type": "string"], "on": ["type": "string"],
                                 "via": choice(CallProtocol.allCases.map(\.rawValue)),
                                 "select": choice(MemberSelection.allCases.map(\.rawValue)),
                                 "call": ref("protocolSettings")]
        let placementRequired = ["model", "on"]
        func list(_ item: Object) -> Object { ["type": "array", "minItems": 1, "items": item] }
        let fusion = object(d.fusionKeys, [
            "method": choice(FusionMethod.allCases.map(\.rawValue)), "deadline": ref("time"), "quorum": integer(minimum: 0),
            "onQuorumMissed": choice(QuorumPolicy.allCases.map(\.rawValue)), "cost": ref("timeDistribution"),
            "recallAt": integer(minimum: 1, maximum: d.maxClasses), "work": ref("timeDistribution"),
            "readWork": ref("timeDistribution"),
        ], required: ["method"])
        let schemas: [String: Object] = [
            "single": placement,
            "pipeline": ["stages": list(object(d.placementKeys, placement, required: placementRequired))],
            "collaborative": [
                "from": ["type": "string"], "fuseAt": ["type": "string"], "fusion": fusion,
                "dispatchWork": ref("timeDistribution"), "sendWork": ref("timeDistribution"),
                "branches": list(object(d.branchKeys, placement.merging(["weight": number(minimum: 0)]) { a, _ in a },
                                        required: placementRequired)),
            ],
            "distributed": [
                "from": ["type": "string"], "aggregator": ["type": "string"], "mergeCost": ref("timeDistribution"),
                "parts": list(object(d.partKeys, placement.merging(["share": number(exclusiveMinimum: 0, maximum: 1)]) { a, _ in a },
                                     required: placementRequired + ["share"])),
            ],
            "cascade": ["stages": list(object(d.cascadeStageKeys, placement.merging(["threshold": number(minimum: 0, maximum: 1)]) { a, _ in a },
                                              required: placementRequired))],
        ]
        let required: [String: [String]] = ["single": placementRequired, "pipeline": ["stages"],
                                            "collaborative": ["fuseAt", "branches", "fusion"],
                                            "distributed": ["aggregator", "parts"], "cascade": ["stages"]]
        return ["oneOf": d.deploymentForms.map { form in
            object(form.keys, (schemas[form.kind] ?? [:]).merging(["kind": ["const": form.kind]]) { a, _ in a },
                   required: ["kind"] + (required[form.kind] ?? []))
        }]
    }

    /// `sweep: {grid: {KEY.PATH: [values] | {from, to, step}}}` or `sweep: {points: [{KEY.PATH: value}]}`.
    private static func sweep() -> Object {
        let d = ScenarioDecoder.self
        let bound: Object = ["anyOf": [["type": "string"], ["type": "number"]]]
        let range = object(d.sweepRangeKeys, ["from": bound, "to": bound, "step": bound], required: d.sweepRangeKeys)
        let values: Object = ["anyOf": [["type": "array", "minItems": 1], range]]
        var result = object(d.sweepKeys, [
            "grid": ["type": "object", "minProperties": 1, "additionalProperties": values,
                     "description": "key paths (as `--set` takes them) to the values each takes; every combination is a point"],
            "points": ["type": "array", "minItems": 1, "items": ["type": "object"],
                       "description": "points, each a mapping of key paths to values"],
        ])
        result["oneOf"] = [["required": ["grid"]], ["required": ["points"]]]
        return result
    }

    /// `plan: {variables: {KEY.PATH: [values] | {from, to, step}}, choices: {NAME: {KEY.PATH: value}},
    /// minimize | maximize, search: {...}}` (docs/planner.md).
    private static func plan() -> Object {
        let d = ScenarioDecoder.self
        let bound: Object = ["anyOf": [["type": "string"], ["type": "number"]]]
        let range = object(d.sweepRangeKeys, ["from": bound, "to": bound, "step": bound], required: d.sweepRangeKeys)
        let search = object(d.planSearchKeys, [
            "replications": integer(minimum: 2, maximum: d.maxPlanReplications),
            "maxReplications": integer(minimum: 2, maximum: d.maxPlanReplications),
            "confidence": number(minimum: 0.5, exclusiveMaximum: 1),
            "maxSimulated": integer(minimum: 1, maximum: d.maxSweepPoints), "batch": integer(minimum: 1, maximum: 1_000),
        ])
        var result = object(d.planKeys, [
            "variables": ["type": "object", "minProperties": 1,
                          "additionalProperties": ["anyOf": [["type": "array", "minItems": 1], range]],
                          "description": "key paths (as `--set` takes them) to their candidate values"],
            "choices": namedMap(["type": "object", "minProperties": 1], minProperties: 1)
                .merging(["description": "named joint choices, each a mapping of key paths to values"]) { a, _ in a },
            "minimize": ["type": "string", "pattern": "^(cost|mean|max|p[0-9]{1,2}(\\.[0-9]{1,2})?)$",
                         "description": "`cost` (dollars per hour, the default) or a latency statistic"],
            "maximize": choice(d.planMaximizeMetrics),
            "search": search,
        ])
        result["anyOf"] = [["required": ["variables"]], ["required": ["choices"]]]
        result["not"] = ["required": ["minimize", "maximize"]]
        return result
    }

    private static func workload() -> Object {
        let d = ScenarioDecoder.self
        let common: Object = ["from": ["type": "string"], "arrivals": ref("arrivals"), "payload": ref("sizeDistribution"),
                              "weights": ["type": "array", "minItems": 1, "items": number(minimum: 0)]]
        let streamKeys = d.workloadKeys.filter { $0 != "arrivals" } + d.videoStreamKeys
        let streams: Object = ["streams": integer(minimum: 1, maximum: d.maxStreams), "fps": number(exclusiveMinimum: 0),
                               "segment": ref("time"), "framesProcessed": integer(minimum: 1)]
        return ["oneOf": WorkloadKind.allCases.map { kind in
            object(d.workloadKeys, common.merging(["kind": ["const": kind.rawValue]]) { a, _ in a }, required: ["kind", "arrivals"])
        } + [
            object(streamKeys, common.merging(streams) { a, _ in a }.merging(["kind": ["const": WorkloadKind.video.rawValue]]) { a, _ in a },
                   required: ["kind", "streams", "fps", "segment"]),
        ]]
    }

    private static func arrivals() -> Object {
        let d = ScenarioDecoder.self
        let schemas: [String: Object] = [
            "poisson": ["rate": ref("rate")],
            "mmpp": ["states": ["type": "array", "minItems": 2,
                                "items": object(d.mmppStateKeys, ["rate": ref("rate"), "meanDuration": ref("time")], required: d.mmppStateKeys)]],
            "diurnal": ["period": ref("time"),
                        "points": ["type": "array", "minItems": 1,
                                   "items": object(d.ratePointKeys, ["at": ref("time"), "rate": ref("rate")], required: d.ratePointKeys)]],
            "trace": ["file": ["type": "string", "minLength": 1]],
        ]
        return ["oneOf": d.arrivalForms.map { form in
            object(form.keys, (schemas[form.process] ?? [:]).merging(["process": ["const": form.process]]) { a, _ in a }, required: form.keys)
        }]
    }

    /// A constant quantity, or one mapping per distribution form (`DistributionForm`).
    private static func distribution(of kind: QuantityKind) -> Object {
        let forms: [Object] = DistributionForm.parametric.map { form in
            var schemas: Object = ["dist": ["const": form.name]]
            for parameter in form.parameters { schemas[parameter.name] = parameter.dimensionless ? number() : ref(kind.rawValue) }
            // A time distribution of a shiftable family may add a floor, `shift` (optional).
            let shift = kind == .time && DistributionForm.shiftableNames.contains(form.name) ? [DistributionForm.shiftKey] : []
            if !shift.isEmpty { schemas[DistributionForm.shiftKey] = ref(kind.rawValue) }
            return object(["dist"] + form.parameters.map(\.name) + shift, schemas, required: ["dist"] + form.parameters.map(\.name))
        }
        let empirical = object(ScenarioDecoder.empiricalKeys, ["dist": ["const": DistributionForm.empiricalName],
                                                               "file": ["type": "string", "minLength": 1]],
                               required: ScenarioDecoder.empiricalKeys)
        return ["oneOf": [ref(kind.rawValue)] + forms + [empirical]]
    }

    // MARK: - Building blocks

    /// A decimal number as `NumberLiteral` reads it (`_` between digits, optional exponent).
    static let numberPattern = "[+-]?(?:[0-9](?:_?[0-9])*(?:\\.[0-9](?:_?[0-9])*)?|\\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?"

    /// A quantity string of `kind`, with the units of `Unit.swift`.
    static func quantity(_ kind: QuantityKind) -> Object {
        let pattern: String
        switch kind {
        case .money:
            pattern = "^ *\\$" + numberPattern + " *$"
        case .moneyRate:
            let units = Unit.afterDollar.filter { $0.kind == .moneyRate }.map { escaped($0.symbol) }
            pattern = "^ *\\$" + numberPattern + " *(?:" + units.joined(separator: "|") + ") *$"
        default:
            let units = Unit.allSymbols(of: kind).map(escaped)
            pattern = "^ *" + numberPattern + " *(?:" + units.joined(separator: "|") + ") *$"
        }
        return ["type": "string", "pattern": pattern, "description": "\(kind.noun), e.g. \(kind.typicalExamples.joined(separator: ", "))"]
    }

    private static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\^$.|?*+()[]{}/".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// A mapping holding exactly `keys`, each with its schema from `schemas` (`{}` if none, which
    /// the schema tests flag).
    static func object(_ keys: [String], _ schemas: Object, required: [String] = []) -> Object {
        var properties: Object = [:]
        for key in keys { properties[key] = schemas[key] ?? Object() }
        var result: Object = ["type": "object", "properties": properties, "additionalProperties": false]
        if !required.isEmpty { result["required"] = required }
        return result
    }

    /// A mapping from names (no `.`, not empty) to `value`.
    private static func namedMap(_ value: Object, minProperties: Int = 0) -> Object {
        var result: Object = ["type": "object", "additionalProperties": value, "propertyNames": ["pattern": "^[^.]+$"]]
        if minProperties > 0 { result["minProperties"] = minProperties }
        return result
    }

    private static func ref(_ name: String) -> Object { ["$ref": "#/$defs/\(name)"] }

    /// `{by: VARIABLE, points: [[x, factor], …]}` (`serviceTimeScaling`, `callOverheadScaling`):
    /// x ≥ 0, factor in (0, 1000].
    private static func scaling(by variables: [String]) -> Object {
        let d = ScenarioDecoder.self
        return object(d.serviceTimeScalingKeys, [
            "by": choice(variables),
            "points": ["type": "array", "minItems": 1, "maxItems": d.maxScalingPoints,
                       "items": ["type": "array", "prefixItems": [number(minimum: 0), number(exclusiveMinimum: 0, maximum: 1_000)],
                                 "minItems": 2, "maxItems": 2]],
        ], required: d.serviceTimeScalingKeys)
    }

    private static func choice(_ values: [String]) -> Object { ["type": "string", "enum": values] }

    /// A plain number (YAML number, or a string the loader reads as one), with bounds.
    private static func number(minimum: Double? = nil, exclusiveMinimum: Double? = nil, maximum: Double? = nil,
                               exclusiveMaximum: Double? = nil) -> Object {
        var numeric: Object = ["type": "number"]
        if let minimum { numeric["minimum"] = minimum }
        if let exclusiveMinimum { numeric["exclusiveMinimum"] = exclusiveMinimum }
        if let maximum { numeric["maximum"] = maximum }
        if let exclusiveMaximum { numeric["exclusiveMaximum"] = exclusiveMaximum }
        return ["anyOf": [numeric, ["type": "string", "pattern": "^" + numberPattern + "$"]]]
    }

    /// An integer (YAML integer, or a decimal string such as `200_000`), with bounds.
    private static func integer(minimum: Int? = nil, maximum: Int? = nil) -> Object {
        var numeric: Object = ["type": "integer"]
        if let minimum { numeric["minimum"] = minimum }
        if let maximum { numeric["maximum"] = maximum }
        return ["anyOf": [numeric, ["type": "string", "pattern": "^[+-]?[0-9](?:_?[0-9])*$"]]]
    }
}
