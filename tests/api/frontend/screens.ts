// The four screens' data code as a front end writes it on GraphQL Code Generator's types
// (generated into ./gql/ by codegen.ts): `tsc --noEmit --strict` must accept every line, and
// each `@ts-expect-error` marks a misuse the types must refuse (tsc fails when one is accepted,
// e.g. when a scalar turns into `any`).
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

import {
  CreatePlanDocument,
  DepartmentPageDocument,
  Direction,
  DriverDimension,
  FollowJobDocument,
  GrowthKind,
  HrOverviewDocument,
  JobStatus,
  OwnPageDocument,
  ReminderCadence,
  RsvpResponse,
  RespondToInvitationDocument,
  SalonPageDocument,
  SalonStatus,
  ScheduleSalonDocument,
  type JsonValue,
} from "./gql/graphql";

/** The `extensions.code` values a screen branches on. */
type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "BAD_USER_INPUT"
  | "CONFLICT"
  | "GRAPHQL_VALIDATION_FAILED"
  | "QUERY_TOO_COMPLEX"
  | "INTERNAL_ERROR";

export class GraphQLFailure extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
  }
}

/** A query or mutation over HTTP: the variables and the answer typed by the document. */
export async function request<Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  token: string,
): Promise<Result> {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/graphql-response+json",
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as {
    data?: Result | null;
    errors?: { message: string; extensions?: { code?: ErrorCode } }[];
  };
  const first = body.errors?.[0];
  if (first) throw new GraphQLFailure(first.message, first.extensions?.code ?? "INTERNAL_ERROR");
  if (body.data == null) throw new GraphQLFailure("no data", "INTERNAL_ERROR");
  return body.data;
}

/** graphql-ws's `subscribe`, as the app's socket client provides it. */
export type Subscribe = <Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  next: (data: Result) => void,
) => () => void;

const percent = (share: number): string => `${Math.round(share * 100)}%`;

/** A Period is a string: `2026-Q3`, `2026-10`. */
const year = (period: string): number => Number(period.slice(0, 4));

// HR overview ---------------------------------------------------------------------------------

export async function hrOverview(token: string, period: string, month: string): Promise<string[]> {
  const data = await request(HrOverviewDocument, { period, month }, token);
  const complete: string | null = data.latestCompletePeriod;
  // @ts-expect-error: a Period is a string, not a number
  const wrong: number = data.latestPeriod;
  // @ts-expect-error: latestPeriod is null before any import
  data.latestPeriod.slice(0, 4);
  const lines = [`latest ${data.latestPeriod ?? "none"}, complete ${complete ?? "none"} (${wrong})`];
  for (const department of data.departments) {
    for (const gap of department.gaps) {
      const covered = gap.complete ? gap.period : `${gap.period}, ${gap.monthsCovered} months`;
      const better = gap.metric.direction === Direction.HigherIsBetter ? "higher" : "lower";
      const attainment = gap.attainment === null ? "no target" : percent(gap.attainment);
      lines.push(`${department.code} ${gap.metric.code} (${covered}): ${attainment}, ${better} is better`);
      for (const driver of gap.drivers) {
        const who =
          driver.driverDimension === DriverDimension.Employee && driver.employee
            ? driver.employee.name
            : driver.segment;
        lines.push(`  ${who}: ${percent(driver.share)}`);
        // @ts-expect-error: the overview does not ask for peopleShare
        lines.push(String(driver.peopleShare));
      }
      lines.push(...gap.feedback.map((theme) => `  ${theme.theme} ×${theme.count}`));
    }
    for (const salon of department.salons) {
      const when = salon.scheduledAt === null ? "not scheduled" : new Date(salon.scheduledAt).toISOString();
      // @ts-expect-error: scheduledAt is null until the salon is scheduled
      new Date(salon.scheduledAt);
      // @ts-expect-error: POSTPONED is no SalonStatus
      if (salon.status === "POSTPONED") lines.push(when);
      if (salon.status === SalonStatus.Scheduled) lines.push(`${salon.title} (${salon.format.name}): ${when}`);
    }
  }
  // @ts-expect-error: a Period variable is a string
  await request(HrOverviewDocument, { period: 2026, month }, token);
  // @ts-expect-error: month is required
  await request(HrOverviewDocument, { period }, token);
  return lines;
}

// Department page -----------------------------------------------------------------------------

export async function departmentPage(
  token: string,
  code: string,
  metric: string,
  from: string,
  to: string,
): Promise<{ trend: [string, number | null][]; people: string[]; next: string | null }> {
  const variables = { code, metric, from, to, month: to, after: null };
  const data = await request(DepartmentPageDocument, variables, token);
  const department = data.department;
  if (department === null) return { trend: [], people: [], next: null };
  // @ts-expect-error: a MetricPoint's value is null for a period without data
  const sum: number = department.series.reduce((total, point) => total + point.value, 0);
  const trend = department.series.map((point): [string, number | null] => [point.period, point.value]);
  const page = department.employeesConnection;
  const people = page.edges.map(({ node }) => `${node.name} (${node.team ?? "no team"}, since ${year(node.hireDate)})`);
  const worst = department.gaps[0];
  if (worst !== undefined && !worst.complete) people.push(`${worst.metric.code}: ${worst.monthsCovered} months of data`);
  people.push(...department.topPerformers.map((p) => (p.employee ? `${p.name}: ${p.value}` : p.employeeId)));
  return { trend, people: people.concat(String(sum)), next: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null };
}

// Salon page ----------------------------------------------------------------------------------

/** A chart's spec is JSON: narrowed before a chart library gets it. */
function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export async function salonPage(token: string, id: string, locale: string | null): Promise<string[]> {
  const data = await request(SalonPageDocument, { id, locale }, token);
  const salon = data.salon;
  if (salon === null) return [];
  const lines = [`${salon.title} · ${salon.month} · ${salon.status}`, ...salon.questions];
  lines.push(...salon.agenda.map((item) => `${item.minutes} min ${item.title}`));
  for (const chart of salon.charts) {
    // @ts-expect-error: JSON is narrowed before use
    lines.push(chart.spec.mark);
    if (isObject(chart.spec) && typeof chart.spec["mark"] === "string") lines.push(`${chart.title}: ${chart.spec["mark"]}`);
  }
  const accepted = salon.rsvps.filter((rsvp) => rsvp.response === RsvpResponse.Accepted).length;
  lines.push(`${accepted} of ${salon.participantCount} accepted`);
  lines.push(...salon.participantsConnection.edges.map((edge) => edge.node.name));
  if (salon.outcome) lines.push(`held: ${salon.outcome.attendeeCount} came, recorded ${salon.outcome.recordedAt}`);
  return lines;
}

// An employee's own page ----------------------------------------------------------------------

export async function ownPage(token: string, period: string): Promise<string[]> {
  const data = await request(OwnPageDocument, { period }, token);
  const me = data.me;
  if (me === null) return ["a service or an account that is no employee"];
  const lines = [`${me.name}, ${me.department?.name ?? "outside your scope"}, joined ${me.hireDate}`];
  for (const standing of me.metrics) {
    const rank = standing.rankInDepartment === null ? "unranked" : `#${standing.rankInDepartment}`;
    lines.push(`${standing.metric.name} ${standing.period}: ${standing.value ?? "–"} (${rank})`);
  }
  for (const role of me.salonRoles) {
    if (role.presenting && role.salon.status !== SalonStatus.Cancelled) lines.push(`presenting ${role.salon.title}`);
  }
  for (const plan of me.plans) {
    const last = plan.progress.at(-1);
    lines.push(`${plan.metric.code} by ${plan.deadline}: ${last ? (last.onTrack ? "on track" : "behind") : "no data yet"}`);
  }
  const points = me.growth.filter((r) => r.growthKind === GrowthKind.SalonContribution).reduce((sum, r) => sum + r.points, 0);
  // @ts-expect-error: a growth record's kind is a GrowthKind, not free text
  me.growth.filter((r) => r.growthKind === "salon_contribution");
  lines.push(`${points} points`);
  return lines;
}

// Live updates and changes --------------------------------------------------------------------

export function followJob(subscribe: Subscribe, id: string, done: (ok: boolean) => void): () => void {
  return subscribe(FollowJobDocument, { id }, ({ jobUpdated: job }) => {
    if (job.status === JobStatus.Succeeded || job.status === JobStatus.Failed) {
      const result: JsonValue | null = job.result;
      done(job.status === JobStatus.Succeeded && result !== null);
    }
  });
}

export async function scheduleAndPlan(token: string, salonId: string): Promise<string> {
  const at = "2026-11-20T14:00:00+08:00"; // a DateTime variable is a string with its offset
  const scheduled = await request(ScheduleSalonDocument, { salonId, at }, token);
  // @ts-expect-error: a DateTime variable is sent as a string, not a Date
  await request(ScheduleSalonDocument, { salonId, at: new Date() }, token);
  await request(RespondToInvitationDocument, { salonId, response: RsvpResponse.Tentative, note: null }, token);
  // @ts-expect-error: MAYBE is no RsvpResponse
  await request(RespondToInvitationDocument, { salonId, response: "MAYBE" }, token);
  const input = {
    departmentCode: "PROD",
    metricCode: "defect_rate",
    goalChange: -0.2,
    deadline: "2027-Q1",
    ownerId: "P1",
    memberIds: ["P2"],
    salonId,
    reminder: { cadence: ReminderCadence.Weekly, day: 1, hour: 9 },
  };
  const { createImprovementPlan: plan } = await request(CreatePlanDocument, { input }, token);
  return `${scheduled.scheduleSalon.scheduledAt ?? "unscheduled"}; plan ${plan.planId} from ${plan.baselinePeriod} (${plan.reminder.cadence})`;
}
