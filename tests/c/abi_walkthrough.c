/*
 * A C caller of the MeetingMigration ABI, built by tests/ffi_c_program.rs with
 *   cc -Wall -Wextra -Werror -std=c11 -I include tests/c/abi_walkthrough.c -lmeeting_migration
 * and run (also under valgrind): open -> sample tenant -> resolve -> preview -> start ->
 * worker start -> wait -> status -> close, plus the error conventions.
 *
 * Usage: abi_walkthrough <store path>. Exit status 0 = every step passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meeting_migration.h"

static int failures = 0;

#define CHECK(cond, what)                                                         \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, what);        \
            failures++;                                                           \
        }                                                                         \
    } while (0)

/* Checks a call's status; on failure prints and frees the error JSON. */
static int ok(const char *step, int32_t status, char *error) {
    if (status != MMS_STATUS_OK) {
        fprintf(stderr, "FAIL %s: status %d: %s\n", step, (int)status, error ? error : "(no error)");
        mms_string_free(error);
        failures++;
        return 0;
    }
    CHECK(error == NULL, "out_error untouched on success");
    printf("ok   %s\n", step);
    return 1;
}

/* Copies the string value of "key" out of a JSON text (enough for GUIDs and states). */
static void json_string(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    out[0] = '\0';
    const char *at = json ? strstr(json, pattern) : NULL;
    if (!at) {
        return;
    }
    at += strlen(pattern);
    size_t n = 0;
    while (at[n] && at[n] != '"' && n + 1 < size) {
        n++;
    }
    memcpy(out, at, n);
    out[n] = '\0';
}

struct progress {
    int calls;
    char last_state[32];
};

static void on_progress(void *user_data, const char *status_json) {
    struct progress *p = (struct progress *)user_data;
    p->calls++;
    json_string(status_json, "State", p->last_state, sizeof p->last_state);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <store path>\n", argv[0]);
        return 2;
    }
    char *error = NULL;
    char *json = NULL;

    /* Versions and the table of codes. */
    CHECK(mms_abi_version() == MMS_ABI_VERSION, "ABI version");
    CHECK(mms_version() != NULL && strlen(mms_version()) > 0, "version string");
    printf("ok   version %s, ABI %u\n", mms_version(), (unsigned)mms_abi_version());
    if (ok("error codes", mms_error_codes(&json, &error), error)) {
        CHECK(strstr(json, "\"id\":\"NoDefaultTenant\"") != NULL, "error code table");
        mms_string_free(json);
        json = NULL;
    }

    /* Open. */
    mms_store *store = NULL;
    error = NULL;
    if (!ok("open", mms_store_open(argv[1], &store, &error), error)) {
        return 1;
    }

    /* Sample tenant. */
    error = NULL;
    if (ok("sample tenant",
           mms_sample_tenant_create(store, "{\"UserCount\":20,\"MeetingsPerUser\":2}", &json, &error), error)) {
        CHECK(strstr(json, "\"IsDefault\":true") != NULL, "first tenant is the default");
        mms_string_free(json);
        json = NULL;
    }

    /* Resolve, by DOMAIN\logon in the default tenant. */
    error = NULL;
    if (ok("resolve", mms_identity_resolve(store, NULL, "LITWAREINC\\kenmyer", &json, &error), error)) {
        char upn[128];
        json_string(json, "UserPrincipalName", upn, sizeof upn);
        CHECK(strcmp(upn, "kenmyer@litwareinc.com") == 0, "resolved UPN");
        mms_string_free(json);
        json = NULL;
    }

    /* An error: not found, with the error JSON; the output stays untouched. */
    error = NULL;
    json = (char *)"untouched";
    int32_t status = mms_identity_resolve(store, NULL, "nobody@contoso.com", &json, &error);
    CHECK(status == MMS_STATUS_IDENTITY_NOT_FOUND, "not found status");
    CHECK(strcmp(json, "untouched") == 0, "output untouched on failure");
    CHECK(error != NULL && strstr(error, "\"id\":\"IdentityNotFound\"") != NULL, "error JSON id");
    CHECK(error != NULL && strstr(error, "\"category\":\"ObjectNotFound\"") != NULL, "error JSON category");
    mms_string_free(error);
    printf("ok   not found -> %d\n", (int)status);
    json = NULL;

    /* NULL arguments, with and without out_error. */
    error = NULL;
    status = mms_identity_resolve(store, NULL, NULL, &json, &error);
    CHECK(status == MMS_STATUS_NULL_ARGUMENT, "NULL identity");
    CHECK(error != NULL && strstr(error, "\"target\":\"identity\"") != NULL, "NULL argument named");
    mms_string_free(error);
    CHECK(mms_identity_resolve(NULL, NULL, "x", &json, NULL) == MMS_STATUS_NULL_ARGUMENT, "NULL store");
    CHECK(json == NULL, "no output");

    /* Preview. */
    const char *request = "{\"Identity\":\"kenmyer@litwareinc.com\",\"TargetMeetingType\":\"teams\"}";
    error = NULL;
    if (ok("preview", mms_migration_preview(store, request, &json, &error), error)) {
        CHECK(strstr(json, "\"MigrationType\":\"AllToTeams\"") != NULL, "preview migration type");
        CHECK(strstr(json, "\"ExistingRequest\":null") != NULL, "no open request yet");
        mms_string_free(json);
        json = NULL;
    }

    /* Start. */
    char correlation_id[64] = "";
    error = NULL;
    if (ok("start", mms_migration_start(store, request, &json, &error), error)) {
        json_string(json, "CorrelationId", correlation_id, sizeof correlation_id);
        CHECK(strstr(json, "\"Existing\":false") != NULL, "queued");
        mms_string_free(json);
        json = NULL;
    }
    CHECK(strlen(correlation_id) == 36, "correlation id");

    /* Worker, then wait with progress and a cancel flag nobody raises. */
    error = NULL;
    ok("worker start", mms_worker_start(store, "{\"PollIntervalMs\":20}", &error), error);
    mms_cancel *cancel = mms_cancel_new();
    CHECK(cancel != NULL, "cancel flag");
    struct progress progress = {0, ""};
    error = NULL;
    if (ok("wait",
           mms_migration_wait(store, NULL, correlation_id, 60000, on_progress, &progress, cancel, &json, &error),
           error)) {
        char state[32];
        json_string(json, "State", state, sizeof state);
        CHECK(strcmp(state, "Succeeded") == 0 || strcmp(state, "Failed") == 0, "terminal state");
        CHECK(progress.calls >= 1, "progress called");
        CHECK(strcmp(progress.last_state, state) == 0, "last progress is the final state");
        printf("ok   final state %s after %d progress calls\n", state, progress.calls);
        mms_string_free(json);
        json = NULL;
    }
    mms_cancel_free(cancel);

    /* Status. */
    error = NULL;
    if (ok("status get", mms_status_get(store, NULL, correlation_id, &json, &error), error)) {
        CHECK(strstr(json, "\"QueuePosition\":null") != NULL, "finished requests have no queue position");
        CHECK(strstr(json, "\"Meetings\":[{") != NULL, "per-meeting outcomes");
        mms_string_free(json);
        json = NULL;
    }

    /* Another tenant: the request is not found there, as an unknown id. */
    char other_tenant[64] = "";
    error = NULL;
    if (ok("tenant create",
           mms_tenant_create(store, "{\"Name\":\"Fabrikam\",\"Domains\":[{\"Name\":\"fabrikam.com\",\"NetBiosName\":\"FABRIKAM\"}]}",
                             &json, &error),
           error)) {
        json_string(json, "TenantId", other_tenant, sizeof other_tenant);
        mms_string_free(json);
        json = NULL;
    }
    CHECK(strlen(other_tenant) == 36, "tenant id");
    error = NULL;
    json = (char *)"untouched";
    status = mms_status_get(store, other_tenant, correlation_id, &json, &error);
    CHECK(status == MMS_STATUS_REQUEST_NOT_FOUND, "another tenant's request is not found");
    CHECK(strcmp(json, "untouched") == 0, "output untouched on failure");
    mms_string_free(error);
    printf("ok   another tenant -> %d\n", (int)status);
    json = NULL;
    error = NULL;
    if (ok("status summary", mms_status_summary(store, NULL, &json, &error), error)) {
        CHECK(strstr(json, "\"State\":\"Pending\",\"UserCount\":0") != NULL, "nothing pending");
        mms_string_free(json);
        json = NULL;
    }
    error = NULL;
    if (ok("status query", mms_status_query(store, "{\"Identity\":\"kenmyer@litwareinc.com\"}", &json, &error),
           error)) {
        CHECK(strstr(json, correlation_id) != NULL, "query finds the request");
        mms_string_free(json);
        json = NULL;
    }

    /* Close: stops the worker. */
    error = NULL;
    ok("worker stop", mms_worker_stop(store, &error), error);
    mms_store_free(store);
    mms_store_free(NULL);
    mms_string_free(NULL);
    printf("ok   closed\n");
    fflush(stdout);

    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all steps passed\n");
    return 0;
}
