/** The seeded data set, the PRNG, option parsing of the CLI, and throughput. */
import { parseArgs } from "../../src/emulator/cli-args";
import { Directory } from "../../src/emulator/data/directory";
import { deriveSeed, mulberry32 } from "../../src/emulator/random";
import { startEmulator } from "../../src/emulator";
import { jsonRequest, postBatch } from "./helpers";

describe("directory", () => {
  it("uses simple, documented ids", () => {
    const directory = new Directory(1);
    expect(directory.users.map((u) => u.id).slice(0, 3)).toEqual(["u-0001", "u-0002", "u-0003"]);
    expect(directory.users).toHaveLength(30);
    expect(directory.groups.map((g) => g.id).slice(-1)).toEqual(["g-0010"]);
    expect(directory.me).toBe(directory.users[0]);
    expect(directory.messages("u-0002").map((m) => m.id)).toEqual(["m-0002-001", "m-0002-002", "m-0002-003", "m-0002-004", "m-0002-005"]);
    expect(directory.driveItems("u-0030").map((i) => i.id)).toEqual(["i-0030-001", "i-0030-002", "i-0030-003"]);
    for (const group of directory.groups) {
      expect(new Set(group.memberIds).size).toBe(8);
      expect(group.ownerIds).toHaveLength(2);
    }
  });

  it("gives every user a manager who is another user", () => {
    const directory = new Directory(3, { users: 50 });
    for (const user of directory.users) {
      expect(user.managerId).not.toBe(user.id);
      expect(directory.findUser(user.managerId!)).toBeDefined();
    }
  });

  it("is the same for the same seed, and different for another", () => {
    const a = new Directory(21);
    const b = new Directory(21);
    expect(b.users).toEqual(a.users);
    expect(b.groups).toEqual(a.groups);
    expect(b.messages("u-0007")).toEqual(a.messages("u-0007"));
    expect(b.photo("u-0007")).toEqual(a.photo("u-0007"));
    const c = new Directory(22);
    expect(c.users.map((u) => u.displayName)).not.toEqual(a.users.map((u) => u.displayName));
  });

  it("generates lazily data that does not depend on the order it is touched in", () => {
    const a = new Directory(9, { users: 3000 });
    const b = new Directory(9, { users: 3000 });
    b.messages("u-0001");
    b.driveItems("u-1500");
    expect(a.messages("u-2999")).toEqual(b.messages("u-2999"));
    expect(a.driveItems("u-2999")).toEqual(b.driveItems("u-2999"));
  });

  it("scales to thousands of users and groups quickly", () => {
    const started = performance.now();
    const directory = new Directory(1, { users: 20_000, groups: 5_000, membersPerGroup: 20 });
    expect(directory.users[19_999].id).toBe("u-20000");
    expect(directory.groups[4_999].id).toBe("g-5000");
    expect(directory.findUser("u-12345")?.id).toBe("u-12345");
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("widens ids beyond 9999 so that they still sort", () => {
    const directory = new Directory(1, { users: 12_000, groups: 0 });
    expect(directory.users[0].id).toBe("u-00001");
  });

  it("rejects impossible shapes", () => {
    expect(() => new Directory(1, { users: 0 })).toThrow(RangeError);
    expect(() => new Directory(1, { groups: -1 })).toThrow(RangeError);
    expect(() => new Directory(1, { messagesPerUser: 1.5 })).toThrow(RangeError);
  });
});

describe("random", () => {
  it("replays a seeded stream and separates derived streams", () => {
    const draw = (seed: number) => Array.from({ length: 5 }, mulberry32(seed));
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
    for (const value of draw(7)) expect(value >= 0 && value < 1).toBe(true);
    expect(deriveSeed(1, "user", 1)).not.toBe(deriveSeed(1, "user", 2));
    expect(deriveSeed(1, "user", 1)).not.toBe(deriveSeed(1, "group", 1));
  });
});

describe("CLI arguments", () => {
  it("maps flags to options", () => {
    expect(
      parseArgs([
        ["--port", "9000"],
        ["--latency", "80"],
        ["--service-time", "5"],
        ["--jitter", "3"],
        ["--seed", "2"],
        ["--users", "100"],
        ["--groups", "7"],
      ].flat()),
    ).toEqual({
      kind: "run",
      options: { port: 9000, latencyMs: 80, serviceTimeMs: 5, serviceJitterMs: 3, seed: 2, data: { users: 100, groups: 7 } },
    });
    expect(parseArgs(["--faults", '{"outer503Rate":0.1}'])).toEqual({
      kind: "run",
      options: { port: 8080, faults: { outer503Rate: 0.1 } },
    });
    expect(parseArgs(["--help"])).toEqual({ kind: "help" });
  });

  it("explains bad input", () => {
    expect(() => parseArgs(["--latency", "soon"])).toThrow(/--latency expects a non-negative number/);
    expect(() => parseArgs(["--port"])).toThrow(/--port needs a value/);
    expect(() => parseArgs(["--colour", "red"])).toThrow(/Unknown option --colour/);
  });
});

describe("options", () => {
  it("rejects invalid rates and durations", async () => {
    await expect(startEmulator({ faults: { outer503Rate: 1.5 } })).rejects.toThrow(RangeError);
    await expect(startEmulator({ faults: { outer503Rate: 0.6, resetRate: 0.6 } })).rejects.toThrow(RangeError);
    await expect(startEmulator({ latencyMs: -1 })).rejects.toThrow(RangeError);
  });
});

describe("throughput", () => {
  it("pushes 10,000 sub-requests through 500 batches in a few seconds", async () => {
    const emulator = await startEmulator({ seed: 8, data: { users: 2000 } });
    try {
      const started = performance.now();
      const worker = async (offset: number) => {
        for (let b = offset; b < 500; b += 10) {
          const requests = Array.from({ length: 20 }, (_, i) => {
            const user = `u-${String(((b * 20 + i) % 2000) + 1).padStart(4, "0")}`;
            return i % 4 === 3
              ? jsonRequest(String(i), "PATCH", `/users/${user}`, { jobTitle: `t${b}` })
              : { id: String(i), method: "GET", url: i % 4 === 1 ? `/users/${user}/messages?$top=2` : `/users/${user}` };
          });
          const answer = await postBatch(emulator, requests);
          expect(answer.body.responses).toHaveLength(20);
        }
      };
      await Promise.all(Array.from({ length: 10 }, (_, i) => worker(i)));
      expect(emulator.stats.subRequests).toBe(10_000);
      expect(Object.values(emulator.stats.writes).reduce((a, b) => a + b, 0)).toBe(2_500);
      expect(performance.now() - started).toBeLessThan(15_000);
    } finally {
      await emulator.close();
    }
  });
});
