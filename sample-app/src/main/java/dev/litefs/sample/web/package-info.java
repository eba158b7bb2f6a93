/** What every response carries (X-Node) and the status page. */
@NullMarked
package dev.litefs.sample.web;

import org.jspecify.annotations.NullMarked;
