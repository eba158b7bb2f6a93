/** Test support for applications that use the {@link dev.litefs.spring.LiteFs} bean. */
@NullMarked
package dev.litefs.spring.test;

import org.jspecify.annotations.NullMarked;
