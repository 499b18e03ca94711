/*
 * The LDAP load generator of bench/ldap-search.ts, on OpenLDAP's libldap, so that the client is
 * never the bottleneck (an ldapjs client tops out near 12k searches/s, below slapd).
 *
 *   ldap-load URI SECONDS CONCURRENCY SCOPE BASE FILTER [ATTR ...]
 *
 * Runs CONCURRENCY threads, each with its own connection and one search in flight at a time,
 * for SECONDS after a short warm-up. BASE and FILTER may hold one printf conversion for an int
 * (e.g. "GLUE2DomainID=site-%04d,GLUE2GroupID=grid,o=glue"): each request picks the next site
 * number of its thread, so requests spread over SITES sites (env LDAP_LOAD_SITES, default 1000).
 * Prints one line: `requests N entries N errors N seconds S rate R median_us M p99_us P`.
 */
#include <ldap.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct worker {
  pthread_t thread;
  int index;
  long requests;
  long entries;
  long errors;
  long samples;
  double *latencies;
};

static const char *uri;
static double seconds;
static int scope;
static const char *base_template;
static const char *filter_template;
static char **attrs;
static int sites = 1000;
static double warmup_end;
static double deadline;
static long max_samples;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *run(void *arg) {
  struct worker *w = arg;
  LDAP *ld;
  int version = LDAP_VERSION3;
  struct berval cred = {0, NULL};
  char base[1024];
  char filter[1024];
  long n = w->index * 7919L;

  if (ldap_initialize(&ld, uri) != LDAP_SUCCESS) {
    fprintf(stderr, "ldap-load: cannot initialise %s\n", uri);
    exit(2);
  }
  ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  if (ldap_sasl_bind_s(ld, "", LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL) != LDAP_SUCCESS) {
    fprintf(stderr, "ldap-load: anonymous bind to %s failed\n", uri);
    exit(2);
  }
  for (;;) {
    double start = now();
    if (start >= deadline) break;
    int site = (int)(n++ % sites);
    snprintf(base, sizeof base, base_template, site);
    snprintf(filter, sizeof filter, filter_template, site);
    LDAPMessage *result = NULL;
    int rc = ldap_search_ext_s(ld, base, scope, filter, attrs, 0, NULL, NULL, NULL, 0, &result);
    double end = now();
    if (start < warmup_end) {
      if (result) ldap_msgfree(result);
      continue;
    }
    if (rc != LDAP_SUCCESS) {
      w->errors++;
    } else {
      w->requests++;
      w->entries += ldap_count_entries(ld, result);
      if (w->samples < max_samples) w->latencies[w->samples++] = (end - start) * 1e6;
    }
    if (result) ldap_msgfree(result);
  }
  ldap_unbind_ext_s(ld, NULL, NULL);
  return NULL;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 7) {
    fprintf(stderr, "usage: ldap-load URI SECONDS CONCURRENCY base|one|sub BASE FILTER [ATTR ...]\n");
    return 2;
  }
  uri = argv[1];
  seconds = atof(argv[2]);
  int concurrency = atoi(argv[3]);
  scope = strcmp(argv[4], "base") == 0 ? LDAP_SCOPE_BASE
          : strcmp(argv[4], "one") == 0 ? LDAP_SCOPE_ONELEVEL
                                        : LDAP_SCOPE_SUBTREE;
  base_template = argv[5];
  filter_template = argv[6];
  attrs = argc > 7 ? &argv[7] : NULL;
  if (getenv("LDAP_LOAD_SITES")) sites = atoi(getenv("LDAP_LOAD_SITES"));
  if (concurrency < 1 || concurrency > 256 || seconds <= 0 || sites < 1) return 2;

  max_samples = 2000000 / concurrency;
  struct worker *workers = calloc(concurrency, sizeof *workers);
  double begin = now();
  warmup_end = begin + 0.3;
  deadline = warmup_end + seconds;
  for (int i = 0; i < concurrency; i++) {
    workers[i].index = i;
    workers[i].latencies = malloc(sizeof(double) * max_samples);
    pthread_create(&workers[i].thread, NULL, run, &workers[i]);
  }
  long requests = 0, entries = 0, errors = 0, samples = 0;
  for (int i = 0; i < concurrency; i++) {
    pthread_join(workers[i].thread, NULL);
    requests += workers[i].requests;
    entries += workers[i].entries;
    errors += workers[i].errors;
    samples += workers[i].samples;
  }
  double *all = malloc(sizeof(double) * (samples > 0 ? samples : 1));
  long k = 0;
  for (int i = 0; i < concurrency; i++) {
    memcpy(all + k, workers[i].latencies, sizeof(double) * workers[i].samples);
    k += workers[i].samples;
  }
  qsort(all, samples, sizeof(double), compare);
  double median = samples ? all[samples / 2] : 0;
  double p99 = samples ? all[(long)(samples * 0.99)] : 0;
  printf("requests %ld entries %ld errors %ld seconds %.3f rate %.1f median_us %.1f p99_us %.1f\n",
         requests, entries, errors, seconds, requests / seconds, median, p99);
  return 0;
}
