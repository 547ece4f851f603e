/**
 * {@code paycore follow} and {@code paycore promote}: a hot standby and its promotion.
 * {@link io.paycore.service.follow.FollowCommand} runs {@code serve}'s service as a read-only standby following a
 * primary started with {@code serve --replicate-to}; {@link io.paycore.service.follow.PromoteCommand} makes it the
 * primary, in place if it is running, by journaling the next epoch.
 */
package io.paycore.service.follow;
