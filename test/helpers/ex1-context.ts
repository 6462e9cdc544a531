import {
  InMemoryTextFile,
  TIER_ORDER,
  TierFaultError,
  TieredPipelineContext,
  type PipelineSummary,
  type TierName,
  type TieredPipelineOptions,
} from "../../src/ex1-tiered-pipeline";

/** Which student methods a {@link TestContext} replaces with test-local stand-ins. */
export type Replaced = "exit" | "closeTiers" | "summary";

/** Options for a {@link TestContext}: the context's own, plus what to replace and which tiers fail to close. */
export interface TestContextOptions extends TieredPipelineOptions {
  replace?: Replaced[];
  failClose?: TierName[];
}

/**
 * A test-local context that reaches only given code unless a test asks for a student method: `openForTest()` enters
 * without the student's `enter()` (R1.1), and `replace` swaps `exit` (R1.2 + R1.4), `closeTiers` (R1.2) or
 * `summary` (R1.4) for stand-ins, so each requirement's tests run that requirement's code alone.
 */
export class TestContext extends TieredPipelineContext {
  /** Every `exit(error)` call while `exit` is replaced. */
  readonly exitCalls: unknown[] = [];
  /** Every tier passed to `openTier`, in call order. */
  readonly openCalls: TierName[] = [];
  private readonly replaced: Set<Replaced>;
  private readonly failClose: TierName[];

  constructor(options: TestContextOptions = {}) {
    super({ log: () => {}, ...options });
    this.replaced = new Set(options.replace ?? []);
    this.failClose = options.failClose ?? [];
  }

  /** Enters with given code only (`begin` and `openTier`), opening `tiers` in the order given. */
  openForTest(tiers: readonly TierName[] = TIER_ORDER): this {
    this.begin();
    for (const tier of tiers) {
      if (tier === "database") this.database = this.openTier(tier, () => ({ connected: true }));
      if (tier === "logFile") this.logFile = this.openTier(tier, () => new InMemoryTextFile());
      if (tier === "socket") this.socket = this.openTier(tier, () => ({ bound: true }));
    }
    return this;
  }

  /** Records a failed stage as `run()` would (the seed's `self._failedTier = …`). */
  failAs(stage: string): this {
    this._failedTier = stage;
    return this;
  }

  /** Sets the record counters as `run()` would. */
  count(recordsIn: number, recordsOut: number): this {
    this.recordsIn = recordsIn;
    this.recordsOut = recordsOut;
    return this;
  }

  override exit(error?: unknown): void {
    if (this.replaced.has("exit")) this.exitCalls.push(error);
    else super.exit(error);
  }

  override summary(): PipelineSummary {
    if (!this.replaced.has("summary")) return super.summary();
    return { pipelineId: this.pipelineId, recordsIn: 0, recordsOut: 0, durationMs: 0, tiersOpened: [] };
  }

  protected override closeTiers(): unknown[] {
    return this.replaced.has("closeTiers") ? [] : super.closeTiers();
  }

  protected override openTier<R>(tier: TierName, create: () => R): R {
    this.openCalls.push(tier);
    return super.openTier(tier, create);
  }

  protected override closeTier(tier: TierName): void {
    if (this.failClose.includes(tier)) throw new TierFaultError(tier, "close");
    super.closeTier(tier);
  }
}
