import type { Server } from 'socket.io';
import type { ClientToServerEvents, CycleReport, IncidentDto, InventoryChangeDto, InventoryEditEventDto, ServerToClientEvents, SiteStateDto } from '../core/events.js';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * The only place that emits to browsers. Pipeline stages never see socket.io: the composition
 * root (app/pipeline.ts) hands their output to these methods.
 */
export class LiveUpdates {
  constructor(private readonly io: LiveServer) {}

  cycle(report: CycleReport, sites: SiteStateDto[]): void {
    this.io.emit('cycle', { report, sites });
  }

  sitesState(sites: SiteStateDto[]): void {
    this.io.emit('sites:state', sites);
  }

  incident(type: 'opened' | 'updated' | 'closed', incident: IncidentDto): void {
    this.io.emit(`incident:${type}`, incident);
  }

  inventoryChange(change: InventoryChangeDto): void {
    this.io.emit('inventory:change', change);
  }

  inventoryEdit(edit: InventoryEditEventDto): void {
    this.io.emit('inventory:edit', edit);
  }
}
