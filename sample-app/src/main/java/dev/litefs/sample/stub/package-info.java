/** The stand-in external source for tests and local clusters. */
@NullMarked
package dev.litefs.sample.stub;

import org.jspecify.annotations.NullMarked;
