package dev.litefs.sample.web;

import dev.litefs.sample.jobs.JobQueue;
import dev.litefs.sample.jobs.JobWorker;
import dev.litefs.sample.resource.Resources;
import dev.litefs.spring.LiteFs;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /}: the status page of the node that answers; {@code GET /status}: the same as JSON. */
@RestController
class StatusPageController {
  private final LiteFs liteFs;
  private final Resources resources;
  private final JobQueue jobs;
  private final JobWorker worker;

  StatusPageController(LiteFs liteFs, Resources resources, JobQueue jobs, JobWorker worker) {
    this.liteFs = liteFs;
    this.resources = resources;
    this.jobs = jobs;
    this.worker = worker;
  }

  @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
  String page() {
    return StatusPage.render(liteFs, worker.isRunning(), worker.jobsRun(), jobs.stats(), resources.latest());
  }

  @GetMapping(value = "/status", produces = MediaType.APPLICATION_JSON_VALUE)
  NodeStatus status() {
    return NodeStatus.of(liteFs, worker.isRunning(), worker.jobsRun(), jobs.stats());
  }
}
