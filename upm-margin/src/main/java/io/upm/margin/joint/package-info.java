/**
 * The joint loss J(Q) of MODEL.md section 5 for any number of risk units: {@link io.upm.margin.joint.JointLossSolver}
 * (the entry point: exact where affordable, otherwise a certified upper bound, never below J),
 * {@link io.upm.margin.joint.ExactJointLoss} (the exact solvers), {@link io.upm.margin.joint.JointLossBound} (the
 * certified bounds, proved in docs/methodology.md), {@link io.upm.margin.joint.JointLossGeometry} (what depends on
 * Q only) and {@link io.upm.margin.joint.GeometryCache} (a bounded cache of geometries owned by the calculator's
 * thread). Single-threaded scratch-holding solvers; immutable geometries; nothing static and mutable.
 */
package io.upm.margin.joint;
